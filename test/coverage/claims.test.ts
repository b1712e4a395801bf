// required-systems and claim-integrity on the scenario: the manifest claims 92 systems and lists six
// (one by an alias, one the catalog does not know); the plan has four connections, one unreachable and one
// where no booking could be tried (untested); the buyer runs three systems. What could not be judged (a site
// nobody could reach, a booking never tried) never fails the vendor by itself: it leaves the finding skipped. First judged on hand-built evidence, then end to end through
// evaluate() with embedded EHR sandboxes and deep reference vendors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coverage, coverageMatrix, judgeClaimIntegrity, judgeRequiredSystems, type CoverageConnection, type CoverageInput } from '../../checks/coverage.js';
import type { Connection, LoadedPlan, Manifest } from '../../src/model/plan.js';
import type { Report, Status } from '../../src/model/report.js';
import type { LiveEvidence } from '../../src/probes/connection-live.js';
import { systemCatalog } from '../../src/run/systems.js';
import { MemoryLedger } from '../../src/safety/ledger.js';
import { evaluatePlan } from '../helpers/run.js';
import { closedPort, startWorld, type World } from '../helpers/world.js';
import { loadedPlan } from './world.js';

const MANIFEST: Manifest = {
  version: 1,
  vendor: 'Claimwell Voice AI',
  claimedSystemCount: 92,
  systems: [
    { system: 'Epic Systems', directions: ['read', 'write'] },
    { system: 'athenaOne', directions: ['read', 'write'] },
    { system: 'eClinicalWorks', directions: ['read', 'write'] },
    { system: 'MEDITECH Expanse', directions: ['read', 'write'] },
    { system: 'Cerner', directions: ['read', 'write'] },
    { system: 'Acme Scheduling Cloud', directions: ['read', 'write'] },
  ],
};

const SITES = [
  { name: 'Main Hospital', system: 'epic' },
  { name: 'Ortho Group', system: 'athenahealth' },
  { name: 'Eastside Clinic', system: 'eclinicalworks' },
];

// ---- the exact evidence both ways of judging must give ----

const REQUIRED_SYSTEMS_EVIDENCE = {
  sites: [
    { name: 'Main Hospital', system: 'epic', state: 'verified' },
    { name: 'Ortho Group', system: 'athenahealth', state: 'untested' },
    { name: 'Eastside Clinic', system: 'eclinicalworks', state: 'unreachable' },
  ],
  counts: { verified: 1, 'read-only': 0, untested: 1, unreachable: 1, 'claimed-only': 0, absent: 0 },
};
const REQUIRED_SYSTEMS_MESSAGE =
  'not judged: Ortho Group (athenahealth (athenaOne)): untested; Eastside Clinic (eClinicalWorks): unreachable; 1 of 3 site(s) verified';

const CLAIM_INTEGRITY_EVIDENCE = {
  claimedCount: 92,
  claimedListed: 6,
  verifiedCount: 2,
  verified: ['epic', 'meditech'],
  claimedButUnverified: ['athenahealth', 'eclinicalworks', 'oracle-health', 'acme scheduling cloud'],
  testedButUnverified: ['athenahealth', 'eclinicalworks'],
  refuted: [],
  unknownClaimedNames: ['Acme Scheduling Cloud'],
  ratio: 2 / 92,
};
const CLAIM_INTEGRITY_MESSAGE = '2 verified of 92 claimed; tested but not verified: athenahealth (athenaOne), eClinicalWorks';

const MATRIX = [
  { system: 'epic', displayName: 'Epic', claimed: true, buyerRuns: true, live: true, read: 'pass', write: 'pass', certified: 'none' },
  { system: 'athenahealth', displayName: 'athenahealth (athenaOne)', claimed: true, buyerRuns: true, live: true, read: 'pass', write: 'skip', certified: 'none' },
  { system: 'eclinicalworks', displayName: 'eClinicalWorks', claimed: true, buyerRuns: true, live: false, read: 'error', write: 'error', certified: 'none' },
  { system: 'meditech', displayName: 'MEDITECH', claimed: true, buyerRuns: false, live: true, read: 'pass', write: 'pass', certified: 'none' },
  { system: 'oracle-health', displayName: 'Oracle Health (Cerner)', claimed: true, buyerRuns: false, live: null, read: null, write: null, certified: 'none' },
  { system: 'acme scheduling cloud', displayName: 'acme scheduling cloud', claimed: true, buyerRuns: false, live: null, read: null, write: null, certified: 'none' },
];

// ---- pure: hand-built evidence ----

const ok = { ok: true, status: 200 };
function live(isLive: boolean, writable = true): LiveEvidence {
  return isLive
    ? { live: true, ehrMetadata: { ok: true, fhirVersion: '4.0.1', software: 'Loopback EHR' }, ehrAuth: ok, vendorSearch: ok, ehrWritable: writable, requests: [] }
    : {
        live: false,
        ehrMetadata: { ok: false, cause: 'connect', message: 'http://127.0.0.1:9/fhir/metadata could not be reached' },
        ehrAuth: { ok: false, skipped: true, cause: 'connect', message: 'not tried: the EHR could not be reached' },
        vendorSearch: { ok: false, cause: 'connect', message: 'http://127.0.0.1:9/fhir/Slot could not be reached' },
        ehrWritable: false,
        requests: [],
      };
}

function conn(system: string, isLive: boolean, readThrough?: Status, writeLands?: Status, key = system): CoverageConnection {
  return { key, system, live: live(isLive), ...(readThrough && { readThrough }), ...(writeLands && { writeLands }) };
}

async function scenario(overrides: Partial<CoverageInput> = {}): Promise<CoverageInput> {
  const catalog = await systemCatalog();
  const claims = catalog.resolveClaims(MANIFEST);
  return {
    sites: SITES,
    connections: [
      conn('epic', true, 'pass', 'pass'),
      conn('athenahealth', true, 'pass', 'skip'),
      // The bidirectional check reports a connection that is not live as error.
      conn('eclinicalworks', false, 'error', 'error'),
      conn('meditech', true, 'pass', 'pass'),
    ],
    claimedSystems: claims.systems,
    claimedSystemCount: MANIFEST.claimedSystemCount!,
    unknownClaimedNames: claims.unknown,
    certified: {},
    displayName: catalog.displayName,
    ...overrides,
  };
}

describe('required-systems and claim-integrity on hand-built evidence', () => {
  it('the issue scenario: exact evidence of both findings', async () => {
    const input = await scenario();
    const required = judgeRequiredSystems(input);
    expect(required).toEqual({ id: 'required-systems', status: 'skip', title: 'Every system the buyer runs is verifiably connected', message: REQUIRED_SYSTEMS_MESSAGE, evidence: REQUIRED_SYSTEMS_EVIDENCE });
    const claims = judgeClaimIntegrity(input);
    expect(claims).toEqual({ id: 'claim-integrity', status: 'warn', title: 'Claimed systems against verified ones', message: CLAIM_INTEGRITY_MESSAGE, evidence: CLAIM_INTEGRITY_EVIDENCE });
    expect(coverageMatrix(input)).toEqual(MATRIX);
    expect(coverage.judge(input).map((f) => [f.id, f.connection ?? null, f.status])).toEqual([
      ['required-systems', null, 'skip'],
      ['claim-integrity', null, 'warn'],
      ['connection-live', 'epic', 'pass'],
      ['connection-live', 'athenahealth', 'pass'],
      ['connection-live', 'eclinicalworks', 'error'],
      ['connection-live', 'meditech', 'pass'],
    ]);
  });

  it('a claimed system whose booking did not land on a live connection refutes the claim: fail', async () => {
    const input = await scenario();
    input.connections[1] = conn('athenahealth', true, 'pass', 'fail');
    const claims = judgeClaimIntegrity(input);
    expect(claims.status).toBe('fail');
    expect(claims.evidence.refuted).toEqual(['athenahealth']);
    expect(claims.message).toBe('2 verified of 92 claimed; bookings did not land in the EHR for: athenahealth (athenaOne)');
    // For the buyer's site, the same connection is live but unverified.
    expect(judgeRequiredSystems(input).evidence.sites).toContainEqual({ name: 'Ortho Group', system: 'athenahealth', state: 'read-only' });
  });

  it('nothing verified and nothing refuted: a site with no connection fails required-systems; the claims are not judged', async () => {
    const input = await scenario({ connections: [conn('epic', false), conn('athenahealth', true, 'pass', 'skip')] });
    // Eastside Clinic runs eClinicalWorks and the plan has no connection to it: absent, a judged gap.
    expect(judgeRequiredSystems(input)).toMatchObject({ status: 'fail', evidence: { counts: { absent: 0, 'claimed-only': 1 } } });
    const claims = judgeClaimIntegrity(input);
    expect(claims).toMatchObject({ status: 'skip', message: '0 verified of 92 claimed; not judged: no booking could be judged on Epic, athenahealth (athenaOne)' });
    expect(claims.evidence).toMatchObject({ verifiedCount: 0, verified: [], refuted: [], ratio: 0 });
  });

  it('without writes (every booking skipped), neither finding fails: both are skipped', async () => {
    const input = await scenario({
      sites: SITES.slice(0, 2),
      connections: [conn('epic', true, 'pass', 'skip'), conn('athenahealth', true, 'pass', 'skip')],
    });
    expect(judgeRequiredSystems(input)).toMatchObject({
      status: 'skip',
      message: 'not judged: Main Hospital (Epic): untested; Ortho Group (athenahealth (athenaOne)): untested; 0 of 2 site(s) verified',
    });
    expect(judgeClaimIntegrity(input)).toMatchObject({ status: 'skip', evidence: { verifiedCount: 0, testedButUnverified: ['epic', 'athenahealth'] } });
    // The same connections with a booking that did not land are judged: required-systems warns, claims fail.
    const refuted = await scenario({
      sites: SITES.slice(0, 2),
      connections: [conn('epic', true, 'pass', 'fail'), conn('athenahealth', true, 'pass', 'fail')],
    });
    expect(judgeRequiredSystems(refuted).status).toBe('warn');
    expect(judgeClaimIntegrity(refuted)).toMatchObject({ status: 'fail', message: '0 verified of 92 claimed; bookings did not land in the EHR for: Epic, athenahealth (athenaOne)' });
  });

  it('a connection that was reached and found wrong is a judged gap; one that could not be reached is not', async () => {
    const wrong: LiveEvidence = { ...live(false), ehrMetadata: { ok: false, cause: 'wrong-version', message: 'FHIR 3.0.2, not R4' } };
    const reachedWrong = await scenario({ sites: SITES.slice(0, 1), connections: [{ key: 'epic', system: 'epic', live: wrong, readThrough: 'error', writeLands: 'error' }] });
    expect(judgeRequiredSystems(reachedWrong)).toMatchObject({ status: 'fail', message: 'not covered: Main Hospital (Epic): unreachable' });
    const unreachable = await scenario({ sites: SITES.slice(0, 1), connections: [conn('epic', false, 'error', 'error')] });
    expect(judgeRequiredSystems(unreachable)).toMatchObject({ status: 'skip', message: 'not judged: Main Hospital (Epic): unreachable; 0 of 1 site(s) verified' });
  });

  it('every site verified and every claim held: both pass', async () => {
    const catalog = await systemCatalog();
    const input = await scenario({
      sites: [{ name: 'Main Hospital', system: 'epic' }, { name: 'Clinic', system: 'meditech' }],
      connections: [conn('epic', true, 'pass', 'pass'), conn('meditech', true, 'pass', 'warn')],
      claimedSystems: ['epic', 'meditech'],
      claimedSystemCount: 2,
      unknownClaimedNames: [],
      displayName: catalog.displayName,
    });
    expect(judgeRequiredSystems(input)).toMatchObject({
      status: 'pass',
      message: 'all 2 site(s) have a live connection whose bookings land in the EHR',
      evidence: { counts: { verified: 2, 'read-only': 0, untested: 0, unreachable: 0, 'claimed-only': 0, absent: 0 } },
    });
    expect(judgeClaimIntegrity(input)).toMatchObject({ status: 'pass', message: '2 verified of 2 claimed: every claimed system was shown to work', evidence: { ratio: 1, claimedButUnverified: [] } });
  });

  it('a claim wider than what was shown is a warn, even when everything tested held', async () => {
    const catalog = await systemCatalog();
    const input = await scenario({
      sites: [{ name: 'Main Hospital', system: 'epic' }],
      connections: [conn('epic', true, 'pass', 'pass')],
      claimedSystems: ['epic', 'meditech'],
      claimedSystemCount: 92,
      unknownClaimedNames: [],
      displayName: catalog.displayName,
    });
    expect(judgeClaimIntegrity(input)).toMatchObject({
      status: 'warn',
      message: '1 verified of 92 claimed: every claim tested held up, but 91 claimed system(s) were not shown to work',
      evidence: { claimedCount: 92, verifiedCount: 1, claimedButUnverified: ['meditech'], testedButUnverified: [], refuted: [] },
    });
  });

  it('only read-only gaps (a booking tried that did not land) make required-systems a warn', async () => {
    const input = await scenario({ sites: SITES.slice(0, 2) });
    input.connections[1] = conn('athenahealth', true, 'pass', 'fail');
    expect(judgeRequiredSystems(input)).toMatchObject({ status: 'warn', message: 'partial coverage: Ortho Group (athenahealth (athenaOne)): read-only' });
    // A read-only gap beside an untested one is still a warn: what was judged decides.
    const both = await scenario({ sites: SITES.slice(0, 2), connections: [conn('epic', true, 'pass', 'skip'), conn('athenahealth', true, 'pass', 'fail')] });
    expect(judgeRequiredSystems(both).status).toBe('warn');
  });

  it('sites on a system only claimed, or neither claimed nor connected, are claimed-only and absent', async () => {
    const input = await scenario({
      sites: [...SITES, { name: 'Heart Center', system: 'oracle-health' }, { name: 'Westside Clinic', system: 'nextgen' }],
    });
    const required = judgeRequiredSystems(input);
    expect(required.evidence).toEqual({
      sites: [
        ...REQUIRED_SYSTEMS_EVIDENCE.sites,
        { name: 'Heart Center', system: 'oracle-health', state: 'claimed-only' },
        { name: 'Westside Clinic', system: 'nextgen', state: 'absent' },
      ],
      counts: { verified: 1, 'read-only': 0, untested: 1, unreachable: 1, 'claimed-only': 1, absent: 1 },
    });
    expect(required.status).toBe('fail');
    expect(required.message).toContain('Heart Center (Oracle Health (Cerner)): claimed-only; Westside Clinic (NextGen Healthcare): absent');
  });

  it('a second, working connection to a system covers it', async () => {
    const input = await scenario({ connections: [conn('epic', false), conn('epic', true, 'pass', 'pass', 'epic#2')] });
    expect(judgeRequiredSystems(input).evidence.sites).toContainEqual({ name: 'Main Hospital', system: 'epic', state: 'verified' });
    expect(judgeClaimIntegrity(input).evidence.verified).toEqual(['epic']);
  });

  it('no manifest: claim-integrity is skipped, with the counts still in evidence', async () => {
    const input = await scenario({ claimedSystems: [], claimedSystemCount: null, unknownClaimedNames: [] });
    expect(judgeClaimIntegrity(input)).toMatchObject({ status: 'skip', evidence: { claimedCount: 0, verifiedCount: 2 } });
  });
});

// ---- end to end through evaluate() ----

describe('the issue scenario end to end through evaluate()', () => {
  const worlds: World[] = [];
  let report: Report;
  let ledger: MemoryLedger;
  const progress: string[] = [];

  beforeAll(async () => {
    const connections: Connection[] = [];
    // epic and meditech: a deep vendor on a writable sandbox, writes allowed → verified.
    // athenahealth: the same, but the plan does not mark the EHR as a sandbox → nothing is written → untested.
    for (const [system, sandbox] of [['epic', true], ['athenahealth', false], ['eclinicalworks', true], ['meditech', true]] as const) {
      if (system === 'eclinicalworks') {
        const port = await closedPort();
        connections.push({
          system,
          ehr: { fhirBaseUrl: `http://127.0.0.1:${port}/fhir/R4`, sandbox: true, auth: { type: 'none' } },
          vendor: { kind: 'fhir', baseUrl: `http://127.0.0.1:${port}/vendor/fhir`, auth: { type: 'none' } },
        });
        continue;
      }
      const world = await startWorld({ vendor: { behavior: 'deep' } });
      worlds.push(world);
      connections.push({
        system,
        ehr: { fhirBaseUrl: world.sandbox.fhirBaseUrl, sandbox, auth: { type: 'none' } },
        vendor: { kind: 'fhir', baseUrl: world.vendor.baseUrl, auth: { type: 'none' } },
      });
    }
    const loaded: LoadedPlan = { ...loadedPlan(connections, { buyer: { name: 'Riverside Health', sites: SITES }, vendor: { name: 'Claimwell Voice AI' } }), manifest: MANIFEST };
    ledger = new MemoryLedger('claims-e2e');
    ({ report } = await evaluatePlan(loaded, {
      runId: 'claims-e2e',
      ledger,
      checks: ['bidirectional', 'coverage'],
      progress: (m) => progress.push(m),
      client: { connectTimeoutMs: 2_000, totalTimeoutMs: 10_000 },
    }));
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled(worlds.map((w) => w.close()));
  });

  const coverageFinding = (id: string, connection?: string) =>
    report.checks.find((c) => c.id === 'coverage')!.findings.find((f) => f.id === id && f.connection === connection)!;

  it('required-systems: the exact evidence', () => {
    const f = coverageFinding('required-systems');
    expect(f.status).toBe('skip');
    expect(f.message).toBe(REQUIRED_SYSTEMS_MESSAGE);
    expect(f.evidence).toEqual(REQUIRED_SYSTEMS_EVIDENCE);
  });

  it('claim-integrity: the exact evidence', () => {
    const f = coverageFinding('claim-integrity');
    expect(f.status).toBe('warn');
    expect(f.message).toBe(CLAIM_INTEGRITY_MESSAGE);
    expect(f.evidence).toEqual(CLAIM_INTEGRITY_EVIDENCE);
  });

  it('connection-live per connection, and the matrix', () => {
    expect(['epic', 'athenahealth', 'meditech'].map((k) => coverageFinding('connection-live', k).status)).toEqual(['pass', 'pass', 'pass']);
    const dead = coverageFinding('connection-live', 'eclinicalworks');
    expect(dead.status).toBe('error');
    expect(dead.evidence.cause).toBe('connect');
    expect(report.coverage).toEqual({ matrix: MATRIX, claimedSystemCount: 92, verifiedCount: 2 });
    expect(report.connections.map((c) => [c.system, c.live])).toEqual([['epic', true], ['athenahealth', true], ['eclinicalworks', false], ['meditech', true]]);
  });

  it('the verified connections were decided by bookings that landed in the EHR, and cleaned up after', () => {
    const bidi = report.checks.find((c) => c.id === 'bidirectional')!.findings;
    const writeLands = (k: string) => bidi.find((f) => f.id === 'write-lands' && f.connection === k)!;
    expect(writeLands('epic').status).toBe('pass');
    expect(writeLands('meditech').status).toBe('pass');
    expect(writeLands('athenahealth').status).toBe('skip');
    expect(ledger.entries().filter((e) => e.connection === 'athenahealth')).toEqual([]);
    expect(report.cleanup.leftover).toEqual([]);
  });

  it('progress counts connections as they finish', () => {
    expect(progress.filter((m) => /^\d+\/4 connections probed$/.test(m))).toEqual(['1/4 connections probed', '2/4 connections probed', '3/4 connections probed', '4/4 connections probed']);
  });
});
