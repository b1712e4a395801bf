// Freshness: how long a change takes to cross in each direction, whether the vendor's claim about it holds,
// and whether a slot can be double-booked while the vendor's view is behind. Pure judgement of gathered evidence.
import { formatLag, summariseLag, type LagThresholds } from '../src/freshness/lag.js';
import type { Manifest, ManifestSystem } from '../src/model/plan.js';
import type { Finding, FindingId, LagEvidence, Status } from '../src/model/report.js';
import type { ChangeNotificationContext, FreshnessEvidence, LagData, RaceData } from '../src/probes/freshness/types.js';
import type { ProbeOutcome } from '../src/evidence.js';
import { trialReentries, trialReentryNotes } from '../src/reentry.js';
import { vendorOutcome } from '../src/vendor/outcome.js';
import { claimVersusMeasured, type FreshnessClaim } from './freshness-claims.js';
import type { RunEvidence } from './evidence.js';
import { CHECK_CATALOG } from './catalog.js';
import { finding, titlesOf, type CheckDefinition } from './types.js';

export interface FreshnessInput {
  connections: Array<{
    key: string;
    system: string;
    /** Absent when the connection was not live: every finding is then an error. */
    probes?: FreshnessEvidence;
    notLiveReason?: string;
    /** The manifest's claim for this system (else looked up in `claims` by system id). */
    claim?: FreshnessClaim;
  }>;
}

const FINDINGS = CHECK_CATALOG.freshness.findings;
const TITLES = titlesOf(FINDINGS);
type FreshnessFindingId = keyof typeof TITLES;

const CLASS_STATUS: Record<LagEvidence['class'], Status> = { 'real-time': 'pass', 'near-real-time': 'warn', delayed: 'fail', stale: 'fail' };
const WHAT: Record<'ehr-to-vendor-lag' | 'vendor-to-ehr-lag', string> = {
  'ehr-to-vendor-lag': 'a change in the EHR shows in the vendor',
  'vendor-to-ehr-lag': 'a booking through the vendor shows in the EHR',
};

function fromOutcome<T>(id: FreshnessFindingId, key: string, outcome: ProbeOutcome<T>, judge: (data: T, requests: unknown[]) => Finding): Finding {
  if (outcome.kind === 'skipped') return finding(id, key, 'skip', TITLES[id], outcome.reason);
  if (outcome.kind === 'error') return finding(id, key, 'error', TITLES[id], `could not be measured: ${outcome.error.message}`, { error: outcome.error, requests: outcome.requests });
  return judge(outcome.data, outcome.requests);
}

/** One lag finding: the class measured against the buyer's thresholds, then against what the vendor claims. */
export function judgeLag(
  id: 'ehr-to-vendor-lag' | 'vendor-to-ehr-lag',
  key: string,
  data: LagData,
  t: LagThresholds,
  claim?: FreshnessClaim,
  context?: ChangeNotificationContext,
  requests: unknown[] = [],
): Finding {
  // Re-derived from the samples, so the plan's thresholds (not the probe's) decide the class.
  const lag = summariseLag(data.lag.samples, t);
  const { lag: _probeSummary, ...probeFacts } = data;
  const evidence = { ...lag, ...probeFacts, claim: claim ?? null, changeNotification: context ?? null, requests };
  if (lag.trials === 0) {
    const why = data.interrupted ? 'the run was interrupted before a trial finished' : 'no trial could be run';
    return finding(id, key, 'error', TITLES[id], `could not be measured: ${why}`, evidence);
  }
  const measured = measuredText(lag);
  const byClass = CLASS_STATUS[lag.class];
  const versus = claimVersusMeasured(claim, lag.class, context);
  const notes = [...versus.notes];
  if (lag.censored > 0 && lag.class === 'delayed' && lag.p50Ms !== null && lag.p50Ms <= t.nearRealTimeSeconds * 1000) {
    notes.push('a change never seen within the timeout makes it no better than delayed');
  }
  if (data.interrupted) notes.push(`interrupted after ${lag.trials} trial(s)`);
  // A polled feed is read at most every N s: the measured lag is known only that closely.
  if (data.readIntervalMs) {
    const bound = typeof lag.errorBoundMs === 'number' ? `, so each lag is known within ±${formatLag(lag.errorBoundMs)}` : ', which bounds how closely a lag is known';
    notes.push(`the vendor can be read only every ${formatLag(data.readIntervalMs)}${bound}`);
  }
  // Bookings through the vendor fall under the manual re-entry rule; the cost panel counts what this says.
  const reentries = id === 'vendor-to-ehr-lag' ? trialReentries(lag.samples, data.vendorStatuses) : undefined;
  if (reentries) notes.push(...trialReentryNotes(reentries, t.timeoutSeconds));
  const tail = notes.length ? ` (${notes.join('; ')})` : '';
  if (versus.mismatch) return finding(id, key, 'fail', TITLES[id], `${versus.mismatch}, measured ${lag.class} (${measured})${tail}`, evidence);
  const verdict = lag.class === 'stale' ? `never seen within ${t.timeoutSeconds} s in ${lag.censored} of ${lag.trials} trials` : `${WHAT[id]} in ${measured}`;
  return finding(id, key, byClass, TITLES[id], `${verdict}: ${lag.class}${tail}`, evidence);
}

function measuredText(lag: LagEvidence): string {
  const parts = [`p50 ${formatLag(lag.p50Ms, lag.timeoutSeconds)}`, `p95 ${formatLag(lag.p95Ms, lag.timeoutSeconds)}`];
  const censored = lag.censored ? `, ${lag.censored} never seen` : '';
  return `${parts.join(', ')} over ${lag.trials} trial(s)${censored}`;
}

const CONFIRMED = (status: number | null) => status !== null && vendorOutcome(status) === 'confirmed';

/** The race: decided by what the EHR holds after each attempt, never by what the vendor answered. */
export function judgeRace(key: string, data: RaceData, requests: unknown[] = []): Finding {
  const id = 'double-booking-race';
  const evidence = { attempts: data.attempts, interrupted: data.interrupted, requests };
  // An attempt where either side got no answer was no race.
  const judged = data.attempts.filter((a) => a.vendorStatus !== null && a.ehrStatus !== null);
  if (judged.length === 0) {
    const first = data.attempts[0];
    const why = first?.vendorError?.message ?? first?.ehrError?.message ?? (data.interrupted ? 'the run was interrupted' : 'no attempt could be made');
    return finding(id, key, 'error', TITLES[id], `could not be raced: ${why}`, evidence);
  }
  // A second booking the EHR side made after the vendor's was already in is the EHR's overbooking, not the vendor's.
  const doubled = judged.filter((a) => a.doubleBooked && !a.vendorBookedFirst);
  const ehrOverbooked = judged.filter((a) => a.doubleBooked && a.vendorBookedFirst).length;
  if (doubled.length) {
    const a = doubled[0]!;
    return finding(id, key, 'fail', TITLES[id], `${doubled.length} of ${judged.length} race(s) double-booked: the EHR holds ${Math.max(2, a.ehrAppointmentIds.length)} bookings on slot ${a.slot} (${a.order}, vendor answered ${a.vendorStatus})`, evidence);
  }
  const lied = judged.filter((a) => a.confirmedNotHeld);
  if (lied.length) {
    const a = lied[0]!;
    return finding(id, key, 'fail', TITLES[id], `the vendor confirmed (HTTP ${a.vendorStatus}) ${lied.length} booking(s) the EHR does not hold: the patient believes they are booked (${a.order})`, evidence);
  }
  // A queued booking that lost the race is no lie when the vendor's own record says it was cancelled.
  const lostQueued = judged.filter((a) => (a.vendorOutcome ?? vendorOutcome(a.vendorStatus!)) === 'queued' && !a.vendorBookingHeld && a.vendorRecord !== 'cancelled');
  if (lostQueued.length) {
    return finding(id, key, 'warn', TITLES[id], `never double-booked, but ${lostQueued.length} booking(s) the vendor accepted as queued (HTTP ${[...new Set(lostQueued.map((a) => a.vendorStatus))].join(', ')}) never reached the EHR: the patient was told it was on its way`, evidence);
  }
  const outcomes = judged.map((a) => `${a.order}: ${a.vendorBookingHeld ? 'vendor won' : a.ehrBlockHeld ? `EHR won, vendor ${CONFIRMED(a.vendorStatus) ? 'answered' : 'refused with'} ${a.vendorStatus}` : `neither held (vendor ${a.vendorStatus})`}`);
  const note = ehrOverbooked ? `; in ${ehrOverbooked} the EHR itself accepted an overbooking after the vendor's booking` : '';
  // Judged on the races that finished, as the lag is on its finished trials, and said so.
  const cut = data.interrupted ? `; interrupted after ${judged.length} race(s)` : '';
  return finding(id, key, 'pass', TITLES[id], `the vendor never double-booked a slot in ${judged.length} race(s) (${outcomes.join('; ')})${note}${cut}`, evidence);
}

function claimFor(system: string, given: FreshnessClaim | undefined, claims: Manifest | undefined): FreshnessClaim | undefined {
  if (given) return given;
  const entry: ManifestSystem | undefined = claims?.systems.find((s) => s.system === system);
  return entry && (entry.freshness || entry.mechanism) ? { freshness: entry.freshness, mechanism: entry.mechanism } : undefined;
}

/** `checks.freshness` in the plan, beyond its weight: how many trials, and the lag classes' bounds. */
export interface FreshnessPlanSettings extends LagThresholds {
  trials: number;
}

const DEFAULTS: FreshnessPlanSettings = CHECK_CATALOG.freshness.settings.defaults;

/** The plan's defaults, for a judge called without settings. */
export const DEFAULT_LAG_THRESHOLDS: LagThresholds = { realTimeSeconds: DEFAULTS.realTimeSeconds, nearRealTimeSeconds: DEFAULTS.nearRealTimeSeconds, timeoutSeconds: DEFAULTS.timeoutSeconds };


/** Each connection with the manifest's freshness claim for its system. */
function freshnessInput(run: RunEvidence): FreshnessInput {
  return {
    connections: run.connections.map((c) => {
      const claimed = run.manifest?.systems.find((s) => run.catalog.same(s.system, c.system));
      return {
        key: c.key,
        system: c.system,
        probes: c.probes.freshness,
        notLiveReason: c.notProbedReason,
        claim: claimed && (claimed.freshness || claimed.mechanism) ? { freshness: claimed.freshness, mechanism: claimed.mechanism } : undefined,
      };
    }),
  };
}

export const freshness = {
  id: 'freshness',
  ...CHECK_CATALOG.freshness,
  needs: ['freshness'],
  input: freshnessInput,
  /** `claims`: the vendor manifest, for connections whose input carries no `claim` of its own. */
  judge(input: FreshnessInput, settings: LagThresholds = DEFAULT_LAG_THRESHOLDS, claims?: Manifest): Finding[] {
    return input.connections.flatMap((c) => {
      const ids: FindingId[] = ['ehr-to-vendor-lag', 'vendor-to-ehr-lag', 'double-booking-race'];
      if (!c.probes) return ids.map((id) => finding(id, c.key, 'error', TITLES[id as FreshnessFindingId], `not probed: ${c.notLiveReason ?? 'the freshness probes did not run on this connection'}`));
      const p = c.probes;
      const claim = claimFor(c.system, c.claim, claims);
      const context = p.changeNotification;
      return [
        fromOutcome('ehr-to-vendor-lag', c.key, p.ehrToVendor, (d, r) => judgeLag('ehr-to-vendor-lag', c.key, d, settings, claim, context, r)),
        fromOutcome('vendor-to-ehr-lag', c.key, p.vendorToEhr, (d, r) => judgeLag('vendor-to-ehr-lag', c.key, d, settings, claim, context, r)),
        fromOutcome('double-booking-race', c.key, p.race, (d, r) => judgeRace(c.key, d, r)),
      ];
    });
  },
} as const satisfies CheckDefinition<FreshnessInput, FreshnessPlanSettings>;
