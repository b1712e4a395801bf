// `ehr-check demo --json -` through the built CLI: reference vendors of each kind on embedded sandboxes, no network.
// One run is shared by every assertion (the demo takes about half a minute); the terminal view is the same
// pure formatter the plain `demo` prints with, applied to the reports that run produced.
import { beforeAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../src/contracts/validate.js';
import type { Finding, Report } from '../../src/model/report.js';
import { formatCompareTerminal } from '../../src/report/compare.js';
import { formatTerminal } from '../../src/report/terminal.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { DEMO_VENDORS, type DemoVendor } from '../../fixtures/demo/scenario.js';

const NAMES = Object.fromEntries(DEMO_VENDORS.map((v) => [v.id, v.name])) as Record<DemoVendor['id'], string>;
const KINDS = Object.fromEntries(DEMO_VENDORS.map((v) => [v.id, v.kind])) as Record<DemoVendor['id'], string>;

describe('ehr-check demo --json -', () => {
  let result: CliResult;
  let reports: Report[];
  const byVendor = (id: keyof typeof NAMES) => reports.find((r) => r.vendor.name === NAMES[id])!;
  const failing = (r: Report): Finding[] => r.checks.flatMap((c) => c.findings).filter((f) => f.status === 'fail');

  beforeAll(async () => {
    result = await runCli(['demo', '--json', '-'], { timeoutMs: 90_000 });
    reports = result.code === 0 ? (JSON.parse(result.stdout) as Report[]) : [];
  }, 100_000);

  it('exits 0 and prints one JSON document on stdout: a report per vendor, of at least three kinds', () => {
    expect(result.stderr).not.toMatch(/^ehr-check: /m);
    expect(result.code).toBe(0);
    expect(reports.map((r) => r.vendor.name).sort()).toEqual(Object.values(NAMES).sort());
    expect(new Set(Object.values(KINDS)).size).toBeGreaterThanOrEqual(3);
    for (const [id, kind] of Object.entries(KINDS)) expect(byVendor(id as DemoVendor['id']).connections.map((c) => c.vendorKind), id).toEqual(expect.arrayContaining([kind]));
    // progress went to stderr, nothing else shared stdout with the JSON
    expect(result.stdout.trimStart().startsWith('[')).toBe(true);
    expect(result.stderr).toMatch(/starting embedded EHR sandboxes and reference vendors/);
  });

  it('writes reports that validate against the report schema, each complete and cleaned up', () => {
    expect(reports).toHaveLength(DEMO_VENDORS.length);
    for (const report of reports) {
      expect(() => validateReport(report), report.vendor.name).not.toThrow();
      expect(report.partial, report.vendor.name).toBeUndefined();
      expect(report.cleanup.leftover, report.vendor.name).toEqual([]);
      expect(report.checks.map((c) => c.id)).toEqual(['bidirectional', 'coverage', 'freshness', 'volume']);
      expect(new Set(reports.map((r) => r.runId)).size).toBe(DEMO_VENDORS.length);
    }
  });

  it('ranks deep above batch, and batch at or above shallow, by score', () => {
    const [deep, batch, shallow] = [byVendor('deep'), byVendor('batch'), byVendor('shallow')];
    expect(deep.score).not.toBeNull();
    expect(deep.score!).toBeGreaterThan(batch.score!);
    expect(batch.score!).toBeGreaterThanOrEqual(shallow.score!);
    expect(deep.gate.passed).toBe(true);
    expect(batch.gate.passed).toBe(false);
    expect(shallow.gate.passed).toBe(false);
    expect(failing(deep)).toEqual([]);
  });

  it('fails the shallow and batch vendors on what their design gets wrong, read from their EHRs', () => {
    const shallow = failing(byVendor('shallow')).map((f) => f.id);
    expect(shallow).toEqual(expect.arrayContaining(['write-idempotent', 'conflict-refused', 'patient-matched', 'double-booking-race', 'required-systems', 'writes-at-volume']));
    const batch = failing(byVendor('batch')).map((f) => f.id);
    expect(batch).toEqual(expect.arrayContaining(['write-idempotent', 'conflict-refused', 'certification', 'double-booking-race', 'required-systems', 'writes-at-volume']));
    // At volume, retries without deduplication become duplicates, counted in the EHR by booking key.
    const burst = byVendor('batch').checks.find((c) => c.id === 'volume')!.findings[0]!;
    expect(burst.evidence.duplicates).toBeGreaterThan(0);
    // the evidence says why, in EHR terms
    const dup = byVendor('shallow').checks[0]!.findings.find((f) => f.id === 'patient-matched')!;
    expect(dup.evidence).toMatchObject({ ehrPatients: 2 });
    const cert = byVendor('batch').checks[0]!.findings.find((f) => f.id === 'certification')!;
    expect(cert.evidence).toMatchObject({ claims: [{ listingId: 'BW-3003', state: 'lapsed', listingStatus: 'suspended' }] });
  });

  it('judges the REST API, the chat agent and the feed by what their EHRs hold, saying how each verdict was reached', () => {
    const status = (r: Report, id: string) => r.checks.flatMap((c) => c.findings).filter((f) => f.id === id);
    const rest = byVendor('rest');
    for (const id of ['write-lands', 'write-idempotent', 'conflict-refused', 'patient-matched', 'read-through']) {
      for (const f of status(rest, id)) {
        expect(f.status, `rest ${id}`).toBe('pass');
        expect(f.evidence).toMatchObject({ vendorKind: 'http', vendorMethod: 'api' });
      }
    }
    const chat = byVendor('chat');
    for (const id of ['read-through', 'write-lands', 'write-idempotent', 'conflict-refused', 'patient-matched']) {
      const [f] = status(chat, id);
      expect(f!.status, `chat ${id}: ${f!.message}`).toBe('pass');
      expect(f!.evidence).toMatchObject({ vendorKind: 'person', vendorMethod: 'operator' });
    }
    for (const id of ['ehr-to-vendor-lag', 'double-booking-race']) {
      const [f] = status(chat, id);
      expect(f!.status).toBe('skip');
      expect(f!.message).toMatch(/person/);
    }
    // connection-live names the vendor's side as its kind has it.
    expect(status(rest, 'connection-live')[0]!.message).toMatch(/and the vendor's API answer$/);
    expect(status(chat, 'connection-live')[0]!.message).toMatch(/the vendor is reached through a person/);
    // The feed is read by API, polled no faster than it allows; its bookings are a person following its links.
    const feed = byVendor('feed');
    expect(status(feed, 'read-through')[0]).toMatchObject({ status: 'pass', evidence: { vendorKind: 'scheduling-links', vendorMethod: 'api' } });
    expect(status(feed, 'ehr-to-vendor-lag')[0]!.evidence).toMatchObject({ readIntervalMs: 2_000 });
    expect(status(feed, 'write-lands')[0]).toMatchObject({ status: 'pass', evidence: { vendorMethod: 'operator' } });
    expect(status(feed, 'patient-matched')[0]!.status).toBe('skip');
  });

  it('names each non-deep vendor’s failing findings in its terminal view and in the comparison', () => {
    for (const id of ['shallow', 'batch'] as const) {
      const report = byVendor(id);
      const view = formatTerminal(report, { color: false });
      expect(view).toContain(NAMES[id]);
      for (const f of failing(report)) {
        // the finding's row: its id, then (for a connection finding) the connection, then the failed status
        expect(view, `${id}: ${f.id}`).toMatch(new RegExp(`${f.id}\\s+│\\s+${f.connection ?? '\\(run\\)'}\\s+│\\s+✖ fail`));
      }
    }
    const compare = formatCompareTerminal(reports, { color: false });
    expect(compare).toMatch(/1\. Deepwater Scheduling\s+grade A, 100\/100\s+CI gate passed/);
    const idempotent = compare.split('\n').find((l) => l.startsWith('│ write-idempotent'))!;
    expect(idempotent).toMatch(/^│ write-idempotent\s+│ ★ ✔ pass 2\/2\s+│/);
    expect(idempotent.match(/✖ fail/g)).toHaveLength(2);
    expect(compare).toMatch(/Reached through\s+│ FHIR facade\s+│ REST API/);
  });
});
