// EHR certification through CHPL in a run: once per connected system, from the API (a loopback replay of the
// real CHPL documents in test/fixtures/real-world/chpl) or from an export file, into the coverage matrix and the
// connection-live evidence. The API key never reaches the report.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../src/contracts/index.js';
import { InputError } from '../../src/errors.js';
import type { Connection, Plan } from '../../src/model/plan.js';
import type { Report } from '../../src/model/report.js';
import { certifyEhrSystems, ehrCertifiedColumn } from '../../src/run/ehr-certification.js';
import { MemoryLedger } from '../../src/safety/ledger.js';
import { LANTERN_FILE, startChplReplay, type ReplayServer } from '../chpl/replay-server.js';
import { evaluatePlan } from '../helpers/run.js';
import { startWorld, type World } from '../helpers/world.js';
import { loadedPlan } from './world.js';

const KEY = 'chpl-key-for-coverage-4be1d9';
let replay: ReplayServer | undefined;
afterEach(async () => {
  await replay?.close();
  replay = undefined;
});

const developersAsked = () => replay!.requests.map((r) => r.url.searchParams.get('developer'));

describe('certifyEhrSystems', () => {
  it('asks the CHPL API once per distinct system, with the key from the environment', async () => {
    replay = await startChplReplay({ apiKey: KEY });
    const found = await certifyEhrSystems(['epic', 'careevolution', 'epic', 'acme-ehr'], { baseUrl: replay.baseUrl, apiKeyEnv: 'CHPL_API_KEY' }, { env: { CHPL_API_KEY: KEY } });
    expect(developersAsked()).toEqual(['Epic Systems Corporation', 'CareEvolution, Inc.']);
    expect(replay.requests.every((r) => r.headers['api-key'] === KEY)).toBe(true);

    const source = `CHPL API ${replay.baseUrl}`;
    expect(Object.keys(found)).toEqual(['epic', 'careevolution', 'acme-ehr']);
    expect(found.epic).toMatchObject({ status: 'certified', source });
    expect(found.epic!.listings).toHaveLength(16);
    expect(found.epic!.activeListings).toHaveLength(10);
    expect(found.epic!.activeListings).toContain('15.04.04.1447.Epic.AM.28.1.240311');
    expect(found.epic!.listings.every((n) => typeof n === 'string')).toBe(true);
    expect(found.careevolution).toEqual({ status: 'not-certified', listings: [], activeListings: [], source });
    expect(found['acme-ehr']).toEqual({ status: 'unknown', listings: [], activeListings: [], source: 'CHPL API', problem: 'the catalog knows no CHPL developer for "acme-ehr"' });
    expect(ehrCertifiedColumn(found)).toEqual({ epic: 'certified', careevolution: 'not-certified', 'acme-ehr': 'unknown' });
    expect(JSON.stringify(found)).not.toContain(KEY);
  });

  it('reads an export file instead, when the plan names one', async () => {
    const found = await certifyEhrSystems(['epic', 'careevolution', 'meditech'], { exportFile: LANTERN_FILE, apiKeyEnv: 'CHPL_API_KEY' }, { env: {} });
    expect(ehrCertifiedColumn(found)).toEqual({ epic: 'certified', careevolution: 'not-certified', meditech: 'certified' });
    expect(found.epic!.source).toBe(`CHPL export ${LANTERN_FILE}`);
    expect(found.meditech!.listings).toHaveLength(19);
  });

  it('a refused key, a missing key, or no source at all is unknown, with the reason and without the key', async () => {
    replay = await startChplReplay({ apiKey: KEY });
    const refused = await certifyEhrSystems(['epic'], { baseUrl: replay.baseUrl, apiKeyEnv: 'CHPL_API_KEY' }, { env: { CHPL_API_KEY: 'not-the-key-0000' } });
    expect(refused.epic).toEqual({ status: 'unknown', listings: [], activeListings: [], source: `CHPL API ${replay.baseUrl}`, problem: 'CHPL API refused the API key (HTTP 401)' });
    expect(JSON.stringify(refused)).not.toContain('not-the-key-0000');

    const unset = await certifyEhrSystems(['epic'], { baseUrl: replay.baseUrl, apiKeyEnv: 'CHPL_API_KEY' }, { env: {} });
    expect(unset.epic).toMatchObject({ status: 'unknown', problem: 'no CHPL API key: the environment variable CHPL_API_KEY is not set' });

    const nothing = await certifyEhrSystems(['epic'], { baseUrl: replay.baseUrl }, { env: { CHPL_API_KEY: KEY } });
    expect(nothing.epic).toMatchObject({ status: 'unknown', problem: "the plan's chpl section names neither apiKeyEnv nor exportFile" });
    expect(replay.requests).toHaveLength(1);
  });

  it('no chpl in the plan: nothing is looked up', async () => {
    expect(await certifyEhrSystems(['epic'], undefined, { env: { CHPL_API_KEY: KEY } })).toEqual({});
  });

  it('an export file that cannot be read is bad input', async () => {
    await expect(certifyEhrSystems(['epic'], { exportFile: '/nonexistent/chpl-export.json' }, { env: {} })).rejects.toBeInstanceOf(InputError);
  });
});

describe('CHPL in evaluate()', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ vendor: { behavior: 'deep' } });
  }, 60_000);
  afterAll(() => world?.close());

  async function run(chpl: Plan['chpl'], env: NodeJS.ProcessEnv = {}, ledger = new MemoryLedger('chpl-run')): Promise<Report> {
    const connections: Connection[] = ['epic', 'epic', 'careevolution'].map((system) => ({
      system,
      ehr: { fhirBaseUrl: world.sandbox.fhirBaseUrl, sandbox: true, auth: { type: 'none' } },
      vendor: { kind: 'fhir', baseUrl: world.vendor.baseUrl, auth: { type: 'none' } },
    }));
    const loaded = loadedPlan(connections, { buyer: { name: 'Riverside Health', sites: [{ name: 'Main Hospital', system: 'epic' }] }, ...(chpl && { chpl }) });
    return (await evaluatePlan(loaded, { runId: 'chpl-run', ledger, checks: ['coverage'], allowWrites: false, env, client: {} })).report;
  }

  const liveFinding = (report: Report, key: string) => report.checks.find((c) => c.id === 'coverage')!.findings.find((f) => f.id === 'connection-live' && f.connection === key)!;
  const matrixColumn = (report: Report) => Object.fromEntries(report.coverage!.matrix.map((r) => [r.system, r.ehrCertified ?? null]));

  it('through the API: once per system, into the matrix and the connection-live evidence, never the key', async () => {
    replay = await startChplReplay({ apiKey: KEY });
    const report = await run({ baseUrl: replay.baseUrl, apiKeyEnv: 'CHPL_API_KEY' }, { CHPL_API_KEY: KEY });
    expect(developersAsked()).toEqual(['Epic Systems Corporation', 'CareEvolution, Inc.']);
    expect(matrixColumn(report)).toEqual({ epic: 'certified', careevolution: 'not-certified' });

    const epic = liveFinding(report, 'epic');
    expect(epic.status).toBe('pass');
    expect(epic.evidence.ehrCertification).toMatchObject({ status: 'certified', source: `CHPL API ${replay.baseUrl}` });
    expect((epic.evidence.ehrCertification as { activeListings: string[] }).activeListings).toHaveLength(10);
    expect(liveFinding(report, 'epic#2').evidence.ehrCertification).toEqual(epic.evidence.ehrCertification);
    const care = liveFinding(report, 'careevolution');
    expect(care.evidence.ehrCertification).toEqual({ status: 'not-certified', listings: [], activeListings: [], source: `CHPL API ${replay.baseUrl}` });
    expect(care.message).toContain("CHPL lists no active (g)(10) certification for the EHR's developer");

    expect(JSON.stringify(report)).not.toContain(KEY);
    expect(() => validateReport(report)).not.toThrow();
  });

  it('a refused key leaves the column unknown and the run going', async () => {
    replay = await startChplReplay({ apiKey: KEY });
    const report = await run({ baseUrl: replay.baseUrl, apiKeyEnv: 'CHPL_API_KEY' }, { CHPL_API_KEY: 'wrong-key-for-chpl-77' });
    expect(matrixColumn(report)).toEqual({ epic: 'unknown', careevolution: 'unknown' });
    expect(liveFinding(report, 'epic').evidence.ehrCertification).toMatchObject({ status: 'unknown', problem: 'CHPL API refused the API key (HTTP 401)' });
    expect(liveFinding(report, 'epic').status).toBe('pass');
    expect(JSON.stringify(report)).not.toContain('wrong-key-for-chpl-77');
  });

  it('through an export file', async () => {
    const report = await run({ exportFile: LANTERN_FILE });
    expect(matrixColumn(report)).toEqual({ epic: 'certified', careevolution: 'not-certified' });
    expect(liveFinding(report, 'epic').evidence.ehrCertification).toMatchObject({ status: 'certified', source: `CHPL export ${LANTERN_FILE}` });
  });

  it('without chpl in the plan there is no column and no evidence', async () => {
    const report = await run(undefined);
    expect(matrixColumn(report)).toEqual({ epic: null, careevolution: null });
    expect(liveFinding(report, 'epic').evidence.ehrCertification).toBeUndefined();
  });

  it('an unreadable export file stops the run before any probe', async () => {
    const ledger = new MemoryLedger('chpl-bad-file');
    await expect(run({ exportFile: '/nonexistent/chpl-export.json' }, {}, ledger)).rejects.toBeInstanceOf(InputError);
    expect(ledger.entries()).toEqual([]);
  });
});
