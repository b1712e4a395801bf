// The kind of vendor on each connection, and findings a person took part in, are named in every report format.
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { formatHtml } from '../../src/report/html.js';
import { formatMarkdown } from '../../src/report/markdown.js';
import { formatTerminal } from '../../src/report/terminal.js';
import { byPerson, connectionReach } from '../../src/report/vendor-reach.js';
import { sample } from './samples.js';

/** The shallow sample, its second connection reached through a person at the vendor's voice line. */
function withPerson(): Report {
  const report = structuredClone(sample('shallow'));
  const second = report.connections[1]!;
  second.vendorKind = 'person';
  second.vendorBaseUrl = '+1 555 0100';
  for (const check of report.checks) {
    for (const f of check.findings) {
      if (f.connection === second.system && f.id === 'write-lands') f.evidence = { ...f.evidence, vendorKind: 'person', vendorMethod: 'operator', vendorMethodReason: "a person using the vendor's product asks it to book" };
    }
  }
  return report;
}

describe('how the vendor was reached', () => {
  it('words each connection and each finding a person did', () => {
    const report = withPerson();
    expect(connectionReach(report)).toBe(`${report.connections[0]!.system} via FHIR facade, ${report.connections[1]!.system} via a person at its product`);
    const lands = report.checks.flatMap((c) => c.findings).find((f) => f.id === 'write-lands' && f.connection === report.connections[1]!.system)!;
    expect(byPerson(lands)).toBe('by a person at the vendor');
    expect(byPerson({ ...lands, evidence: { method: 'operator' } })).toBe('by a person at the EHR');
    expect(byPerson({ ...lands, evidence: { method: 'api', vendorMethod: 'api' } })).toBeUndefined();
  });

  it('appears in the terminal, Markdown and HTML reports; an all-facade run says nothing extra', () => {
    const report = withPerson();
    const terminal = formatTerminal(report, { color: false, width: 200 });
    expect(terminal).toContain('via a person at its product');
    expect(terminal).toMatch(/write-lands .*\(by a person at the vendor\)/);
    const markdown = formatMarkdown(report);
    expect(markdown).toContain('Vendor reached:');
    expect(markdown).toMatch(/\*\*write-lands\*\* on `eclinicalworks`.*\(by a person at the vendor\)/);
    const html = formatHtml(report);
    expect(html).toContain('a person at its product<br><span class="url mono">+1 555 0100</span>');
    expect(html).toContain('<dt>Vendor side</dt><dd>person vendor: operator — by a person using the vendor&#39;s product');
    const facade = sample('shallow');
    expect(formatTerminal(facade, { color: false })).not.toContain('Vendor reached');
    expect(formatMarkdown(facade)).not.toContain('Vendor reached');
  });
});
