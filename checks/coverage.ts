// Coverage breadth: which of the buyer's systems does the vendor verifiably reach, against how many it claims?
import type { CoverageRow, Finding, SiteState, Status } from '../src/model/report.js';
import type { EndpointCheck, LiveEvidence } from '../src/probes/connection-live.js';
import { coverageInput } from './coverage-input.js';
import { CHECK_CATALOG } from './catalog.js';
import { finding, titlesOf, type CheckDefinition } from './types.js';
import { vendorWords } from './vendor-words.js';

export interface CoverageConnection {
  key: string;
  system: string;
  live: LiveEvidence;
  /** Statuses of the bidirectional findings on this connection, when that check ran. */
  readThrough?: Status;
  writeLands?: Status;
  /** ONC (g)(10) certification of the EHR's developer, from CHPL, when the plan asks for the lookup. */
  ehrCertification?: EhrCertificationEvidence;
  /** The plan's `vendor.kind`, which names the vendor's side in messages. */
  vendorKind?: string;
}

/** What CHPL said about the EHR's developer: product numbers only, and where the answer came from (no secrets). */
export interface EhrCertificationEvidence {
  status: 'certified' | 'not-certified' | 'unknown';
  /** CHPL product numbers of every (g)(10) listing found for the developer. */
  listings: string[];
  /** The subset that decides `certified`: Active listings with (g)(10). */
  activeListings: string[];
  source: string;
  problem?: string;
}

export interface CoverageInput {
  sites: Array<{ name: string; system: string }>;
  connections: CoverageConnection[];
  /** Systems the manifest claims (catalog ids), its claimed count, and names the catalog did not know. */
  claimedSystems: string[];
  claimedSystemCount: number | null;
  unknownClaimedNames: string[];
  /** Certification state per system (from the bidirectional check's claims), for the matrix. */
  certified: Record<string, CoverageRow['certified']>;
  ehrCertified?: Record<string, 'certified' | 'not-certified' | 'unknown'>;
  displayName(system: string): string;
}

const FINDINGS = CHECK_CATALOG.coverage.findings;
const TITLES = titlesOf(FINDINGS);

/**
 * A connection's coverage state: verified only when it is live and a booking landed in the EHR; `read-only` when
 * a booking was judged and did not land; `untested` when no booking was judged there (writes off, or the EHR's
 * API cannot take one): that says nothing about the vendor either way.
 */
export function connectionState(c: CoverageConnection): Exclude<SiteState, 'claimed-only' | 'absent'> {
  if (!c.live.live) return 'unreachable';
  if (c.writeLands === 'pass' || c.writeLands === 'warn') return 'verified';
  return c.writeLands === 'fail' ? 'read-only' : 'untested';
}

// A connection that might still prove to work ranks above one shown not to: "a second connection covers it".
const RANK: Record<SiteState, number> = { verified: 5, 'read-only': 3, untested: 4, unreachable: 2, 'claimed-only': 1, absent: 0 };

/** The best state over all connections to a system (a second, working connection covers it). */
export function systemState(system: string, input: CoverageInput): SiteState {
  const states = input.connections.filter((c) => c.system === system).map(connectionState);
  if (states.length > 0) return states.sort((a, b) => RANK[b] - RANK[a])[0]!;
  return input.claimedSystems.includes(system) ? 'claimed-only' : 'absent';
}

/**
 * Whether a site's state is a judgement about the vendor. `untested` never is; `unreachable` is only when every
 * connection to the system was reached and found wrong (connection-live `fail`), not when none could be reached.
 */
function siteJudged(system: string, state: SiteState, input: CoverageInput): boolean {
  if (state === 'untested') return false;
  if (state !== 'unreachable') return true;
  return input.connections.filter((c) => c.system === system).every((c) => liveStatus(c.live) === 'fail');
}

/**
 * Causes that mean the endpoint could not be reached or talked to: nothing can be judged, so `error`.
 * `cross-origin` and `not-searchset` are not among them: the endpoint answered, and what it did (send every
 * request to another origin, where the credentials never go; answer a search with no searchset) is an observed
 * fact about the connection as the plan gives it, so `fail`. The findings that would rest on such answers are
 * `error` instead: they are about the vendor, and nothing the EHR holds was read.
 */
// `feed`: a Scheduling Links feed that cannot be read as one (no manifest, a file missing, nothing parses) shows no
// availability at all, so nothing about the vendor can be compared with the EHR.
const NO_VERDICT_CAUSES = new Set(['dns', 'connect', 'tls', 'timeout', 'config', 'rate-limited', 'interrupted', 'feed']);

/** A cause in the buyer's words, ahead of the detail the client gave. */
const CAUSE_WORDS: Record<string, string> = {
  dns: 'host name does not resolve',
  connect: 'cannot connect',
  tls: 'TLS handshake or certificate failed',
  timeout: 'no answer in time',
  auth: 'credentials refused',
  'not-fhir': 'not a FHIR server',
  'wrong-version': 'wrong FHIR version',
  'smart-config': 'SMART configuration unusable',
  http: 'HTTP error',
  'too-large': 'answer too large',
  redirect: 'unsafe redirect',
  'cross-origin': 'answered from another origin',
  'not-searchset': 'search not answered with a searchset Bundle',
  'rate-limited': 'rate-limited',
  config: 'plan configuration',
  feed: 'Scheduling Links feed unusable',
};

function failedParts(l: LiveEvidence, vendorKind?: string): Array<[string, EndpointCheck]> {
  const parts: Array<[string, EndpointCheck | undefined]> = [
    ['EHR metadata', l.ehrMetadata],
    ['EHR SMART configuration', l.smartConfiguration],
    ['EHR authentication', l.ehrAuth],
    [vendorWords(vendorKind).read, l.vendorSearch],
  ];
  return parts.filter((p): p is [string, EndpointCheck] => p[1] !== undefined && !p[1].ok && !p[1].skipped);
}

// Reached it and it is wrong (not R4, refused, not FHIR) → fail; could not reach or talk to it at all → error.
const decisivePart = (failed: Array<[string, EndpointCheck]>) => failed.find(([, e]) => !NO_VERDICT_CAUSES.has(e.cause ?? '')) ?? failed[0];

/** connection-live's status: pass when live, fail when reached and wrong, error when it could not be talked to. */
export function liveStatus(l: LiveEvidence): Status {
  if (l.live) return 'pass';
  const decisive = decisivePart(failedParts(l));
  return decisive && !NO_VERDICT_CAUSES.has(decisive[1].cause ?? '') ? 'fail' : 'error';
}

function judgeLive(c: CoverageConnection): Finding {
  const l = c.live;
  const evidence: Record<string, unknown> = { ehrMetadata: l.ehrMetadata };
  if (l.smartConfiguration) evidence.smartConfiguration = l.smartConfiguration;
  Object.assign(evidence, { ehrAuth: l.ehrAuth, vendorSearch: l.vendorSearch, ehrWritable: l.ehrWritable });
  if (c.ehrCertification) evidence.ehrCertification = c.ehrCertification;
  evidence.requests = l.requests;
  const certNote = c.ehrCertification?.status === 'not-certified' ? "; CHPL lists no active (g)(10) certification for the EHR's developer" : '';
  if (l.live) {
    const what = vendorWords(c.vendorKind).answered(`EHR ${l.ehrMetadata.software ?? 'server'} (FHIR ${l.ehrMetadata.fhirVersion})`);
    const message = l.ehrWritable ? what : `${what}; the EHR's API is read-only for scheduling`;
    // A feed a client can still use, with flaws it must work around (lines to skip, slots it cannot place).
    const flaws = l.vendorSearch.warnings ?? [];
    if (flaws.length > 0) return finding('connection-live', c.key, 'warn', TITLES['connection-live'], `${message}, with flaws: ${flaws.join('; ')}${certNote}`, evidence);
    return finding('connection-live', c.key, 'pass', TITLES['connection-live'], `${message}${certNote}`, evidence);
  }
  const failed = failedParts(l, c.vendorKind);
  const decisive = decisivePart(failed);
  const status = liveStatus(l);
  const message = failed.map(([what, e]) => `${what}: ${CAUSE_WORDS[e.cause ?? ''] ?? e.cause ?? 'failed'} (${e.message ?? e.cause})`).join('; ');
  return finding('connection-live', c.key, status, TITLES['connection-live'], message || 'not live', { ...evidence, cause: decisive?.[1].cause ?? null });
}

export function judgeRequiredSystems(input: CoverageInput): Finding {
  const sites = input.sites.map((s) => ({ name: s.name, system: s.system, state: systemState(s.system, input) }));
  const counts = Object.fromEntries((Object.keys(RANK) as SiteState[]).map((k) => [k, sites.filter((s) => s.state === k).length]));
  const evidence = { sites, counts };
  const open = sites.filter((s) => s.state !== 'verified');
  const problems = open.map((s) => `${s.name} (${input.displayName(s.system)}): ${s.state}`).join('; ');
  const judgedGaps = open.filter((s) => siteJudged(s.system, s.state, input));
  if (open.length === 0) return finding('required-systems', undefined, 'pass', TITLES['required-systems'], `all ${sites.length} site(s) have a live connection whose bookings land in the EHR`, evidence);
  // Only what was judged decides: a site nobody could test is neither covered nor uncovered.
  if (judgedGaps.some((s) => s.state !== 'read-only')) return finding('required-systems', undefined, 'fail', TITLES['required-systems'], `not covered: ${problems}`, evidence);
  if (judgedGaps.length > 0) return finding('required-systems', undefined, 'warn', TITLES['required-systems'], `partial coverage: ${problems}`, evidence);
  const verified = sites.length - open.length;
  return finding('required-systems', undefined, 'skip', TITLES['required-systems'], `not judged: ${problems}; ${verified} of ${sites.length} site(s) verified`, evidence);
}

export function judgeClaimIntegrity(input: CoverageInput): Finding {
  const verified = [...new Set(input.connections.filter((c) => connectionState(c) === 'verified').map((c) => c.system))];
  const claimedCount = input.claimedSystemCount ?? input.claimedSystems.length;
  const tested = input.claimedSystems.filter((s) => input.connections.some((c) => c.system === s));
  const testedUnverified = tested.filter((s) => !verified.includes(s));
  // Shown false, not merely unshown: the connection was live and a booking through the vendor did not land.
  const refuted = testedUnverified.filter((s) => input.connections.some((c) => c.system === s && c.live.live && c.writeLands === 'fail'));
  const evidence = {
    claimedCount,
    claimedListed: input.claimedSystems.length,
    verifiedCount: verified.length,
    verified,
    claimedButUnverified: input.claimedSystems.filter((s) => !verified.includes(s)),
    testedButUnverified: testedUnverified,
    refuted,
    unknownClaimedNames: input.unknownClaimedNames,
    ratio: claimedCount > 0 ? verified.length / claimedCount : null,
  };
  const numbers = `${verified.length} verified of ${claimedCount} claimed`;
  if (claimedCount === 0) return finding('claim-integrity', undefined, 'skip', TITLES['claim-integrity'], 'the vendor claims no systems (no manifest, or an empty one)', evidence);
  if (refuted.length > 0) return finding('claim-integrity', undefined, 'fail', TITLES['claim-integrity'], `${numbers}; bookings did not land in the EHR for: ${refuted.map(input.displayName).join(', ')}`, evidence);
  // Nothing shown either way (no booking judged, or no claimed system connected): not judged, not refuted.
  if (verified.length === 0) {
    const untried = testedUnverified.length > 0 ? `no booking could be judged on ${testedUnverified.map(input.displayName).join(', ')}` : 'no claimed system has a connection in the plan';
    return finding('claim-integrity', undefined, 'skip', TITLES['claim-integrity'], `${numbers}; not judged: ${untried}`, evidence);
  }
  if (testedUnverified.length > 0) return finding('claim-integrity', undefined, 'warn', TITLES['claim-integrity'], `${numbers}; tested but not verified: ${testedUnverified.map(input.displayName).join(', ')}`, evidence);
  // "90+ systems" on a slide proves nothing: a claim counts only as far as it was shown to work.
  if (verified.length < claimedCount) {
    return finding('claim-integrity', undefined, 'warn', TITLES['claim-integrity'], `${numbers}: every claim tested held up, but ${claimedCount - verified.length} claimed system(s) were not shown to work`, evidence);
  }
  return finding('claim-integrity', undefined, 'pass', TITLES['claim-integrity'], `${numbers}: every claimed system was shown to work`, evidence);
}

/** The coverage matrix: every system claimed, run by the buyer, or connected, against what was seen. */
export function coverageMatrix(input: CoverageInput): CoverageRow[] {
  const systems = [...new Set([...input.sites.map((s) => s.system), ...input.connections.map((c) => c.system), ...input.claimedSystems])];
  return systems.map((system) => {
    const conns = input.connections.filter((c) => c.system === system);
    const best = <T extends Status | undefined>(pick: (c: CoverageConnection) => T) => (conns.map(pick).find((s) => s === 'pass') ?? conns.map(pick).find(Boolean) ?? null) as Status | null;
    const row: CoverageRow = {
      system,
      displayName: input.displayName(system),
      claimed: input.claimedSystems.includes(system),
      buyerRuns: input.sites.some((s) => s.system === system),
      live: conns.length ? conns.some((c) => c.live.live) : null,
      read: best((c) => c.readThrough),
      write: best((c) => c.writeLands),
      certified: input.certified[system] ?? 'none',
    };
    if (input.ehrCertified?.[system]) row.ehrCertified = input.ehrCertified[system];
    return row;
  });
}

export const coverage = {
  id: 'coverage',
  ...CHECK_CATALOG.coverage,
  needs: ['ehrCertification'],
  uses: ['bidirectional'],
  input: coverageInput,
  judge(input: CoverageInput): Finding[] {
    return [judgeRequiredSystems(input), judgeClaimIntegrity(input), ...input.connections.map(judgeLive)];
  },
} as const satisfies CheckDefinition<CoverageInput>;
