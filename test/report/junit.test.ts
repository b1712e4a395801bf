import { describe, expect, it } from 'vitest';
import type { Report, Status } from '../../src/model/report.js';
import { formatJUnit } from '../../src/report/junit.js';
import { hostileReport, HOSTILE_MESSAGE, sample, SAMPLE_NAMES } from './samples.js';
import { parseXml, type XmlElement } from './xml.js';

const count = (report: Report, status?: Status) =>
  report.checks.reduce((n, c) => n + c.findings.filter((f) => status === undefined || f.status === status).length, 0);
const child = (e: XmlElement, name: string) => e.children.find((c) => c.name === name);

describe('the test XML parser', () => {
  it.each([
    ['<a><b></a></b>', /closes/],
    ['<a x=1/>', /quoted/],
    ['<a>1 < 2</a>', /element name|raw/],
    ['<a>&nbsp;</a>', /raw/],
    ['<a x="1" x="2"/>', /repeated/],
    ['<a>\u0001</a>', /forbids/],
    ['<a/><b/>', /after the root/],
  ])('rejects %j', (xml, error) => {
    expect(() => parseXml(xml)).toThrow(error);
  });
});

describe('formatJUnit', () => {
  it.each(SAMPLE_NAMES)('%s: well-formed, one suite per check, one case per finding, then the gate, exact counts', (name) => {
    const report = sample(name);
    const root = parseXml(formatJUnit(report));
    expect(root.name).toBe('testsuites');
    // The totals hold every finding, and the gate's one test case (a failure when the gate failed).
    expect(root.attributes).toMatchObject({
      tests: String(count(report) + 1),
      failures: String(count(report, 'fail') + (report.gate.passed ? 0 : 1)),
      errors: String(count(report, 'error')),
      skipped: String(count(report, 'skip')),
    });
    const all = root.children.filter((c) => c.name === 'testsuite');
    expect(all.map((s) => s.attributes.name)).toEqual([...report.checks.map((c) => c.id), 'gate']);
    const suites = all.slice(0, -1);
    suites.forEach((suite, i) => {
      const check = report.checks[i]!;
      const cases = suite.children.filter((c) => c.name === 'testcase');
      expect(cases).toHaveLength(check.findings.length);
      expect(suite.attributes.tests).toBe(String(check.findings.length));
      for (const s of ['failures', 'errors', 'skipped'] as const) {
        const inCases = cases.filter((c) => child(c, { failures: 'failure', errors: 'error', skipped: 'skipped' }[s])).length;
        expect(suite.attributes[s]).toBe(String(inCases));
      }
      check.findings.forEach((f, k) => {
        const tc = cases[k]!;
        expect(tc.attributes.classname).toBe(`ehr-check.${check.id}`);
        expect(tc.attributes.name).toBe(f.connection ? `${f.id} [${f.connection}]` : f.id);
        const outcome = { pass: undefined, warn: 'system-out', fail: 'failure', error: 'error', skip: 'skipped' }[f.status];
        expect(tc.children.map((c) => c.name)).toEqual(outcome ? [outcome] : []);
        if (f.status === 'fail' || f.status === 'error' || f.status === 'skip') expect(child(tc, outcome!)!.attributes.message).toBe(f.message);
        if (f.status === 'warn') expect(child(tc, 'system-out')!.text).toBe(`warn: ${f.title}: ${f.message}`);
      });
    });
  });

  it('the gate is its own suite and test case: a failure naming the reasons, or a pass saying what was asked', () => {
    const failed = parseXml(formatJUnit(sample('shallow'))).children.find((c) => c.attributes.name === 'gate')!;
    expect(failed.attributes).toMatchObject({ tests: '1', failures: '1', errors: '0', skipped: '0' });
    const tc = child(failed, 'testcase')!;
    expect(tc.attributes).toMatchObject({ classname: 'ehr-check.gate', name: 'CI gate' });
    const failure = child(tc, 'failure')!;
    expect(failure.attributes.message).toBe(sample('shallow').gate.reasons.join('; '));
    expect(failure.text).toMatch(/^Vendor result: grade F, 46\.3\/100 \(based on 21 of 22 findings \(97% by weight\)\)\. CI gate: failed — score 46\.3/);
    const passed = parseXml(formatJUnit(sample('deep'))).children.find((c) => c.attributes.name === 'gate')!;
    expect(passed.attributes.failures).toBe('0');
    expect(child(child(passed, 'testcase')!, 'system-out')!.text).toBe(
      'Vendor result: grade A, 100/100 (based on all 32 findings). CI gate: passed (min score 70; required: bidirectional)',
    );
  });

  it('counts the shallow sample exactly', () => {
    const root = parseXml(formatJUnit(sample('shallow')));
    expect(root.attributes).toMatchObject({ tests: '23', failures: '10', errors: '0', skipped: '1' });
    expect(parseXml(formatJUnit(sample('error'))).attributes).toMatchObject({ errors: '3' });
  });

  it('escapes hostile messages, and replaces characters XML cannot carry', () => {
    const report = hostileReport();
    const xml = formatJUnit(report);
    const root = parseXml(xml); // throws if anything broke the document
    expect(root.attributes.name).toBe(`ehr-check: ${report.vendor.name}`);
    const failure = root.children[0]!.children.flatMap((tc) => tc.children).find((c) => c.name === 'failure' && c.attributes.message!.includes('script'))!;
    expect(failure.attributes.message).toBe(HOSTILE_MESSAGE.replace(/[\u0007\u001b]/g, '\uFFFD'));
    expect(xml).not.toContain('<script>');
  });
});
