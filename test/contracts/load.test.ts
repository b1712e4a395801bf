// Loading valid files: YAML and JSON agree, defaults are filled, paths resolve from the plan's folder,
// kinds are told apart, and reports are read leniently but written strictly.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectKind, loadPlan, loadReport, validateFile, validateReport, ReportContractError } from '../../src/contracts/index.js';
import { InputError } from '../../src/errors.js';
import type { Report } from '../../src/model/report.js';
import { FIXTURES, Workspace, fixture } from './workspace.js';

let ws: Workspace;
beforeEach(() => (ws = new Workspace()));
afterEach(() => ws.dispose());

describe('loadPlan', () => {
  it('loads the YAML and the JSON form of the same plan to equal values', async () => {
    const fromYaml = await loadPlan('plan.yaml', { cwd: ws.dir });
    const fromJson = await loadPlan('plan.json', { cwd: ws.dir });
    expect(fromJson.plan).toEqual(fromYaml.plan);
    expect(fromJson.manifest).toEqual(fromYaml.manifest);
    expect(fromJson.registry).toEqual(fromYaml.registry);
    expect(fromYaml.file).toBe(ws.path('plan.yaml'));
  });

  it('tells YAML from JSON by content when the extension says nothing', async () => {
    ws.write('plan.conf', ws.read('plan.json'));
    const loaded = await loadPlan('plan.conf', { cwd: ws.dir });
    expect(loaded.plan.buyer.name).toBe('Riverside Health');
  });

  it('fills the defaults the plan leaves out, and keeps what it sets', async () => {
    const { plan } = await loadPlan('plan.yaml', { cwd: ws.dir });
    expect(plan.checks).toEqual({
      bidirectional: { weight: 50 },
      coverage: { weight: 30 },
      freshness: { weight: 30, trials: 3, timeoutSeconds: 120, realTimeSeconds: 2, nearRealTimeSeconds: 60 },
    });
    const bare = ws.read('plan.yaml');
    delete bare.checks;
    delete bare.gate;
    ws.write('bare.yaml', bare);
    const loaded = await loadPlan('bare.yaml', { cwd: ws.dir });
    expect(loaded.plan.checks.bidirectional.weight).toBe(40);
    expect(loaded.plan.checks.freshness).toMatchObject({ trials: 5, timeoutSeconds: 120, realTimeSeconds: 5, nearRealTimeSeconds: 60 });
    expect(loaded.plan.gate).toEqual({});
  });

  it('resolves relative paths from the plan file, not the working folder', async () => {
    mkdirSync(ws.path('plans/claims'), { recursive: true });
    const doc = ws.read('plan.yaml');
    doc.vendor.manifest = 'claims/vendor.json';
    doc.certifications = '../certifications.json';
    ws.write('plans/claims/vendor.json', ws.read('vendor-manifest.json'));
    ws.write('plans/plan.yaml', doc);
    const elsewhere = ws.path('plans/claims'); // a working folder where none of the relative paths exist
    const loaded = await loadPlan('../plan.yaml', { cwd: elsewhere });
    expect(loaded.file).toBe(ws.path('plans/plan.yaml'));
    expect(loaded.plan.vendor.manifest).toBe(ws.path('plans/claims/vendor.json'));
    expect(loaded.plan.certifications).toBe(ws.path('certifications.json'));
    expect(loaded.plan.chpl?.exportFile).toBe(ws.path('plans/chpl-export.json'));
    const auth = loaded.plan.connections[0]!.ehr.auth;
    expect(auth.type === 'backend-services' && auth.privateKeyFile).toBe(ws.path('plans/keys/epic.pem'));
    expect(loaded.manifest?.vendor).toBe('Example Voice AI');
    expect(loaded.registry?.listings).toHaveLength(2);
  });

  it('keeps absolute paths as they are', async () => {
    const doc = ws.read('plan.yaml');
    doc.vendor.manifest = join(FIXTURES, 'vendor-manifest.json');
    ws.write('plan.yaml', doc);
    const loaded = await loadPlan(ws.path('plan.yaml'));
    expect(loaded.plan.vendor.manifest).toBe(join(FIXTURES, 'vendor-manifest.json'));
  });

  it('accepts a $schema reference for editors and leaves it out of the loaded values', async () => {
    const doc = ws.read('plan.json');
    ws.write('plan.json', { $schema: './plan.schema.json', ...doc });
    ws.write('vendor-manifest.json', { $schema: './manifest.schema.json', ...ws.read('vendor-manifest.json') });
    const loaded = await loadPlan('plan.json', { cwd: ws.dir });
    expect(loaded.plan).not.toHaveProperty('$schema');
    expect(loaded.manifest).not.toHaveProperty('$schema');
  });

  it('allows two connections to the same system (the second becomes epic#2 in reports)', async () => {
    const { plan } = await loadPlan('plan.yaml', { cwd: ws.dir });
    expect(plan.connections.map((c) => c.system)).toEqual(['epic', 'epic']);
  });

  it('accepts a system the catalog does not list when it is marked custom: true, in every file that names systems', async () => {
    const doc = ws.read('plan.yaml');
    doc.buyer.sites.push({ name: 'Lab Annex', system: 'acme-ehr', custom: true });
    Object.assign(doc.connections[1], { system: 'acme-ehr', custom: true });
    ws.write('plan.yaml', doc);
    const manifest = ws.read('vendor-manifest.json');
    manifest.systems.push({ system: 'acme-ehr', custom: true, directions: ['read'] });
    ws.write('vendor-manifest.json', manifest);
    const registry = ws.read('certifications.json');
    registry.listings.push({ program: 'acme-partners', system: 'acme-ehr', custom: true, vendor: 'Example Voice AI', listingId: 'AC-1', status: 'active' });
    ws.write('certifications.json', registry);

    const loaded = await loadPlan('plan.yaml', { cwd: ws.dir });
    expect(loaded.plan.buyer.sites.at(-1)).toEqual({ name: 'Lab Annex', system: 'acme-ehr', custom: true });
    expect(loaded.plan.connections.map((c) => [c.system, c.custom])).toEqual([['epic', undefined], ['acme-ehr', true]]);
    expect(loaded.manifest!.systems.at(-1)).toMatchObject({ system: 'acme-ehr', custom: true });
    expect(loaded.registry!.listings.at(-1)).toMatchObject({ system: 'acme-ehr', custom: true });
    expect((await validateFile('plan.yaml', { cwd: ws.dir })).map((f) => f.kind)).toEqual(['plan', 'manifest', 'registry']);
  });

  it('loads a plan without manifest or registry', async () => {
    const doc = ws.read('plan.yaml');
    delete doc.vendor.manifest;
    delete doc.certifications;
    ws.write('plan.yaml', doc);
    const loaded = await loadPlan('plan.yaml', { cwd: ws.dir });
    expect(loaded.manifest).toBeUndefined();
    expect(loaded.registry).toBeUndefined();
  });
});

describe('detectKind', () => {
  it.each([
    ['plan.yaml', 'plan'],
    ['vendor-manifest.json', 'manifest'],
    ['certifications.json', 'registry'],
    ['report.json', 'report'],
  ])('%s is a %s', (file, kind) => {
    expect(detectKind(fixture(file))).toBe(kind);
  });

  it('says nothing about what it cannot tell', () => {
    for (const doc of [null, [], 'plan', { name: 'x' }, { systems: [] }]) expect(detectKind(doc)).toBeUndefined();
  });

  it('validateFile refuses a file of no known kind, naming the kinds', async () => {
    ws.write('other.json', { name: 'x' });
    await expect(validateFile('other.json', { cwd: ws.dir })).rejects.toThrow(/cannot tell what this file is: a plan has buyer and connections/);
  });
});

describe('reports', () => {
  const report = () => fixture('report.json') as unknown as Report;

  it('loadReport reads a 1.x report, extra fields included', async () => {
    const loaded = await loadReport('report.json', { cwd: ws.dir });
    expect(loaded.score).toBe(62.5);
    expect(loaded.futureField).toEqual({ added: 'in 1.1' });
  });

  it('loadReport accepts a finding id from a later 1.x, and refuses a 2.0 report', async () => {
    const later = report();
    later.schemaVersion = '1.4';
    later.checks[0]!.findings[0]!.id = 'write-cancels' as never;
    ws.write('later.json', later as never);
    await expect(loadReport('later.json', { cwd: ws.dir })).resolves.toBeDefined();
    ws.write('v2.json', { ...report(), schemaVersion: '2.0' } as never);
    await expect(loadReport('v2.json', { cwd: ws.dir })).rejects.toThrow('v2.json: /schemaVersion: expected a report version "1.x", got "2.0"');
  });

  it('loadReport names each missing or mistyped stable field', async () => {
    const broken = report() as unknown as Record<string, unknown>;
    delete broken.gate;
    broken.score = 'ninety';
    ws.write('broken.json', broken);
    const error = await loadReport('broken.json', { cwd: ws.dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems.map((p) => [p.field, p.message])).toEqual([
      ['', 'report needs gate'],
      ['/score', 'expected a number 0..100 or null, got "ninety"'],
    ]);
  });

  it('a judged lag finding must carry its stable evidence', async () => {
    const r = report();
    r.checks[2]!.findings[0]!.evidence = { p50Ms: 800 };
    ws.write('lag.json', r as never);
    await expect(loadReport('lag.json', { cwd: ws.dir })).rejects.toThrow('/checks/2/findings/0/evidence: missing required key "p95Ms"');
  });

  it('validateReport accepts what the writer should write', () => {
    expect(() => validateReport(report())).not.toThrow();
  });

  it.each([
    ['an unknown finding id', (r: Report) => (r.checks[0]!.findings[0]!.id = 'write-cancels' as never), '/checks/0/findings/0/id: "write-cancels" is not a finding of bidirectional'],
    ['a finding under the wrong check', (r: Report) => (r.checks[1]!.findings[0]!.id = 'write-lands'), 'is not a finding of coverage'],
    ['a run-level finding with a connection', (r: Report) => (r.checks[1]!.findings[0]!.connection = 'epic'), 'claim-integrity is judged once per run'],
    ['a per-connection finding without one', (r: Report) => delete r.checks[0]!.findings[0]!.connection, 'write-lands is judged per connection'],
    ['a score out of range', (r: Report) => (r.score = 101), '/score: expected a number 0..100 or null, got 101'],
    ['a check score above 1', (r: Report) => (r.checks[0]!.score = 40), '/checks/0/score: expected a number 0..1 or null, got 40'],
    ['a bad status', (r: Report) => (r.checks[0]!.status = 'ok' as never), '/checks/0/status: must be one of: pass, warn, fail, error, skip, got "ok"'],
    ['a grade F where nothing was judged', (r: Report) => Object.assign(r, { score: null, grade: 'F' }), '/grade: a report with no score is not evaluated and has grade null'],
    ['a scored report without a grade', (r: Report) => (r.grade = null), '/grade: a scored report needs a grade'],
    ['a verdict that contradicts the score', (r: Report) => (r.verdict = { status: 'not-evaluated', reason: 'x' }), '/verdict/status: "not-evaluated" does not match score'],
    ['a share of confidence above 1', (r: Report) => (r.confidence = { judged: 1, total: 1, share: 2 }), '/confidence/share'],
  ])('validateReport refuses %s, as an internal error', (_name, breakIt, message) => {
    const r = report();
    breakIt(r);
    let thrown: unknown;
    try {
      validateReport(r);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ReportContractError);
    expect(thrown).not.toBeInstanceOf(InputError);
    expect((thrown as Error).message).toContain(message);
  });
});
