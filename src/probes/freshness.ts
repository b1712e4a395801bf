// Evidence for the freshness check: how long a change takes to cross in each direction, and whether a slot
// taken in the EHR and booked through the vendor at the same moment ends up double-booked. Where the EHR's API
// cannot make the change, a person at the EHR makes it (src/operator/). Never throws: whatever goes wrong
// becomes an error value in the evidence.
import { planFindingMethods } from '../capability/methods.js';
import type { CapabilitySummary } from '../capability/reader.js';
import { seedFrom, trialSpacingMs } from '../freshness/schedule.js';
import type { FindingId } from '../model/report.js';
import { bookableSlots, ehrFreeSlotView, plannedSkip, probeWithOperator, readingWindow, slotReadingSkip } from '../ehr/person-steps.js';
import type { ConnectionContext } from '../context.js';
import { probeWindow } from '../ehr/ops.js';
import { askableWindow } from './askable-window.js';
import { vendorFreeSlots, withVendorSteps } from '../vendor/requests.js';
import { matchToEhr } from '../vendor/slot-match.js';
import { measureEhrToVendor, measureVendorToEhr, type TrialRun } from './freshness/lag-trials.js';
import { measureEhrToVendorByPerson } from './freshness/operator-trials.js';
import { raceForSlots, type EhrTakeMethod } from './freshness/race.js';
import { releaseUnused, reserveSlots, startClock, type Reservation } from './freshness/concurrent.js';
import { SlotPool, trimRequests } from './freshness/slots.js';
import type { ChangeNotificationContext, FreshnessEvidence, FreshnessProbeSettings } from './freshness/types.js';
import { probe, type ProbeOutcome } from '../evidence.js';
import { confirmedTestPatient } from '../ehr/patients.js';
import type { Premise } from '../ehr/premise.js';

export type * from './freshness/types.js';

const DEFAULT_RACE_ATTEMPTS = 3;

export async function gatherFreshness(ctx: ConnectionContext, settings: FreshnessProbeSettings, capability?: CapabilitySummary): Promise<FreshnessEvidence> {
  const base = {
    connection: ctx.key,
    writesAllowed: ctx.writesAllowed,
    ...(capability ? { changeNotification: changeNotificationOf(capability) } : {}),
  };
  // What this EHR's API cannot do is not measured: the finding says why (allowing writes would not help).
  if (capability && !ctx.capability) ctx.capability = capability;
  if (capability?.ok && !ctx.methods) ctx.methods = planFindingMethods(capability);
  const notByApi = unmeasurable(ctx);
  const planned = { ehrToVendor: notByApi('ehr-to-vendor-lag'), vendorToEhr: notByApi('vendor-to-ehr-lag'), race: notByApi('double-booking-race') };
  if (!ctx.writesAllowed) {
    const skipped = { kind: 'skipped' as const, reason: ctx.writesBlockedReason ?? 'writes are not allowed on this connection' };
    return { ...base, ehrToVendor: planned.ehrToVendor ?? skipped, vendorToEhr: planned.vendorToEhr ?? skipped, race: planned.race ?? skipped };
  }
  if (planned.ehrToVendor && planned.vendorToEhr && planned.race) {
    return { ...base, ehrToVendor: planned.ehrToVendor, vendorToEhr: planned.vendorToEhr, race: planned.race };
  }
  const seed = settings.seed ?? seedFrom(`${ctx.runId}/${ctx.key}`);
  const prepared = await probeWithOperator(ctx, () => prepare(ctx, seed));
  if (prepared.kind !== 'ok') {
    const failed = trimmed(prepared) as ProbeOutcome<never>;
    return { ...base, ehrToVendor: planned.ehrToVendor ?? failed, vendorToEhr: planned.vendorToEhr ?? failed, race: planned.race ?? failed };
  }
  const { pool, patientId, patientPremise } = prepared.data;
  const timeoutMs = settings.timeoutSeconds * 1000;
  const spacing = trialSpacingMs(timeoutMs);
  const raceAttempts = settings.raceAttempts ?? DEFAULT_RACE_ATTEMPTS;
  const run: TrialRun = {
    settings,
    pool,
    patientId,
    patientPremise,
    seed,
    clock: startClock(),
    progress: (direction, i) => ctx.progress(`freshness ${direction}: trial ${i + 1}/${settings.trials} started`),
  };

  // The directions and the race overlap, every trial on its own slot (./freshness/concurrent.ts). Slots are
  // reserved up front in a fixed order, so which trial touches which slot follows from the seed alone. A person
  // at the EHR makes one change at a time: those trials stay one after another, and take their slots as they go.
  const byPerson = ctx.methods?.['ehr-to-vendor-lag']?.method === 'operator';
  const e2vSlots = planned.ehrToVendor || byPerson ? [] : reserveSlots(pool, ctx, settings.trials);
  const v2eSlots = planned.vendorToEhr ? [] : reserveSlots(pool, ctx, settings.trials);
  const raceSlots = planned.race ? [] : reserveSlots(pool, ctx, raceAttempts);
  // A direction that ends gives back the slots of trials it never started, so the others may use them.
  const settle = <T>(slots: Reservation[]) => (outcome: ProbeOutcome<T>) => (releaseUnused(pool, slots), trimmed(outcome));
  const [ehrToVendor, vendorToEhr, race] = await Promise.all([
    planned.ehrToVendor ?? probeWithOperator(ctx, () => (byPerson ? measureEhrToVendorByPerson(ctx, run) : measureEhrToVendor(ctx, run, e2vSlots))).then(settle(e2vSlots)),
    planned.vendorToEhr ?? probeWithOperator(ctx, () => withVendorSteps(ctx, () => measureVendorToEhr(ctx, run, v2eSlots))).then(settle(v2eSlots)),
    planned.race ??
      probe(ctx, () =>
        raceForSlots(ctx, {
          attempts: raceAttempts,
          pool,
          slots: raceSlots,
          patientId,
          patientPremise,
          ehrMethods: raceMethodsFor(capability),
          queueWaitMs: Math.min(settings.timeoutSeconds, 30) * 1000,
          // After the last lag trial's window, one window apart: never a burst of writes on the EHR.
          clock: run.clock,
          launchMs: (i) => (settings.trials + i) * spacing,
          progress: (i) => ctx.progress(`freshness double-booking race: attempt ${i + 1}/${raceAttempts} started`),
        }),
      ).then(settle(raceSlots)),
  ]);
  return { ...base, ehrToVendor, vendorToEhr, race };
}

/**
 * The slots free on both sides in the probed window, and a tagged test patient to book for. Where the EHR offers
 * no Slot search, its free slots are the ones a person read off its screen (each is re-checked when taken).
 */
async function prepare(ctx: ConnectionContext, seed: number): Promise<{ pool: SlotPool; patientId: string; patientPremise: Premise }> {
  // A person asking the vendor asks about one half-day with free times: both sides are read over it.
  const window = readingWindow(ctx, await askableWindow(ctx, probeWindow()));
  const [view, vendor] = await Promise.all([ehrFreeSlotView(ctx, window, { reuse: true }), vendorFreeSlots(ctx, window)]);
  const ehrFree = view.resources ?? bookableSlots(view.slots, vendor.slots, ctx.schedule);
  // Read at once, so the vendor's slots are matched to the EHR's (by start and end, where its ids differ) after.
  const vendorFree = new Set(matchToEhr(vendor.slots, ehrFree).map((s) => s.id));
  const candidates = ehrFree.filter((slot) => vendorFree.has(slot.id));
  if (candidates.length === 0) {
    throw new Error(`no slot in ${window.start} .. ${window.end} is free both in the EHR (${ehrFree.length} free) and in the vendor's view (${vendorFree.size} free)`);
  }
  const { patient, premise } = await confirmedTestPatient(ctx, 'freshness');
  return { pool: new SlotPool(candidates, seed), patientId: patient.id, patientPremise: premise };
}

/**
 * A skip for each finding this EHR's CapabilityStatement says cannot be measured (src/capability/methods.ts), or
 * that needs a person when nobody can be asked: to make the change, or, on an EHR without Slot search, to read
 * which slots are free (every trial starts from a slot the EHR itself holds free).
 */
function unmeasurable(ctx: ConnectionContext): (id: FindingId) => { kind: 'skipped'; reason: string } | undefined {
  return (id) => plannedSkip(ctx, id, 'measured') ?? slotReadingSkip(ctx);
}

/**
 * How the race takes a slot on the EHR side, best first: a rival EHR-side Appointment, else the Slot closed by
 * update or patch, as the CapabilityStatement allows (all of them, in that order, when it is unknown).
 */
function raceMethodsFor(capability?: CapabilitySummary): EhrTakeMethod[] {
  const can = (type: string, interaction: string) => !capability?.ok || (capability.resources[type]?.interactions.includes(interaction) ?? false);
  const ways: EhrTakeMethod[] = [];
  if (can('Appointment', 'create')) ways.push('ehr-appointment');
  if (can('Slot', 'update')) ways.push('slot-update');
  if (can('Slot', 'patch')) ways.push('slot-patch');
  return ways;
}

/** What the EHR offers for learning about scheduling changes: push (Subscription) or `_lastUpdated` polling. */
export function changeNotificationOf(capability: CapabilitySummary): ChangeNotificationContext {
  const scheduling = new Set(['Slot', 'Appointment', 'Schedule']);
  return {
    subscriptionResource: capability.subscriptions.resource,
    channelTypes: capability.subscriptions.channelTypes,
    topicBased: capability.subscriptions.topicBased,
    topics: capability.subscriptions.topics,
    lastUpdatedSearch: capability.lastUpdatedSearch.filter((t) => scheduling.has(t)),
  };
}

function trimmed<T>(outcome: ProbeOutcome<T>): ProbeOutcome<T> {
  if (outcome.kind === 'skipped') return outcome;
  const { requests, requestsOmitted } = trimRequests(outcome.requests);
  // The outcome keeps how many polls were left out of its evidence, beside the requests kept.
  return requestsOmitted ? Object.assign({ ...outcome, requests }, { requestsOmitted }) : outcome;
}
