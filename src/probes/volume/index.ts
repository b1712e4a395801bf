// Evidence for the volume check: books many free slots through the vendor at once, with retries in flight, and
// reads the EHR for every booking key and every booked slot. Never throws: whatever goes wrong is evidence.
// The bookings stay in the EHR until the run's cleanup, which finds them (and any duplicate) by key and run tag.
import type { ConnectionContext } from '../../context.js';
import { canSearchBookingsOnSlot } from '../../ehr/capability.js';
import { ehrFreeSlots, probeWindow } from '../../ehr/ops.js';
import { confirmedTestPatient } from '../../ehr/patients.js';
import { plannedSkip } from '../../ehr/person-steps.js';
import { readPremise, type Premise } from '../../ehr/premise.js';
import { probe } from '../../evidence.js';
import { ACTIVE_APPOINTMENT } from '../../ehr/removal.js';
import { runKey } from '../../safety/run-records.js';
import { monotonicNow } from '../../timing.js';
import { accepted } from '../../vendor/outcome.js';
import { vendorFreeSlots } from '../../vendor/requests.js';
import { trimRequests } from '../freshness/slots.js';
import { retriedIndexes, runBurst, type BurstBooking } from './burst.js';
import { countInEhr, LandingWatch } from './landing.js';
import type { VolumeBooking, VolumeData, VolumeEvidence, VolumeProbeSettings, VolumeRequest } from './types.js';

export type * from './types.js';

/** How often the EHR is looked at for the burst's bookings: the error bound of each lag. */
const LOOK_INTERVAL_MS = 200;

export async function gatherVolume(ctx: ConnectionContext, settings: VolumeProbeSettings): Promise<VolumeEvidence> {
  const base = { connection: ctx.key, writesAllowed: ctx.writesAllowed };
  // What this EHR or this vendor cannot do is skipped first: allowing writes would not change it.
  const planned = plannedSkip(ctx, 'writes-at-volume', 'checked');
  if (planned) return { ...base, writesAtVolume: planned };
  if (!ctx.writesAllowed) return { ...base, writesAtVolume: { kind: 'skipped', reason: ctx.writesBlockedReason ?? 'writes are not allowed on this connection' } };
  const prepared = await probe(ctx, () => prepare(ctx, settings));
  if (prepared.kind !== 'ok') return { ...base, writesAtVolume: prepared };
  // Too few free slots for the burst asked for is no verdict on the vendor: said, with the count.
  if (typeof prepared.data === 'string') return { ...base, writesAtVolume: { kind: 'skipped', reason: prepared.data } };
  const outcome = await probe(ctx, () => burstAndCount(ctx, settings, prepared.data as Prepared));
  if (outcome.kind === 'skipped') return { ...base, writesAtVolume: outcome };
  const all = [...prepared.requests, ...outcome.requests];
  if (outcome.kind === 'error') return { ...base, writesAtVolume: { ...outcome, requests: all } };
  // Dozens of bookings and looks: the evidence keeps the first and last requests, and says how many it left out.
  const { requests, requestsOmitted } = trimRequests(all, 80);
  const throttledAnswers = all.filter((r) => r.method === 'POST' && (r.status === 429 || r.status === 503)).length;
  const data = { ...outcome.data, throttledAnswers };
  return { ...base, writesAtVolume: { kind: 'ok', data, requests, ...(requestsOmitted && { requestsOmitted }) } };
}

interface Prepared {
  plan: BurstBooking[];
  slotsFree: number;
  patientId: string;
  premises: Premise[];
}

/** The burst's bookings: free slots on both sides, a key each, a test patient; or why there are too few slots. */
async function prepare(ctx: ConnectionContext, settings: VolumeProbeSettings): Promise<Prepared | string> {
  const { bookings: wanted, retryShare } = settings;
  // Slots free on both sides, from the far end of the window, away from what other probes and people touch.
  const window = probeWindow();
  const ehrFree = await ehrFreeSlots(ctx, window);
  const vendorFree = new Set((await vendorFreeSlots(ctx, window, ehrFree)).slotIds);
  const candidates = ehrFree.filter((s) => vendorFree.has(s.id)).reverse();
  if (candidates.length < wanted) {
    return (
      `only ${candidates.length} slot(s) of ${ctx.schedule} are free both in the EHR (${ehrFree.length} free) and in the vendor's view ` +
      `from ${window.start} to ${window.end}; the burst needs ${wanted}: lower checks.volume.bookings, or open more slots`
    );
  }
  const { patient, premise } = await confirmedTestPatient(ctx, 'volume');
  const retried = retriedIndexes(wanted, retryShare);
  const plan = candidates.slice(0, wanted).map((slot, i) => ({ key: runKey(ctx, 'volume'), slot, retried: retried.has(i) }));
  return { plan, slotsFree: candidates.length, patientId: patient.id, premises: [premise, readPremise('free-slots', 'slot-search')] };
}

async function burstAndCount(ctx: ConnectionContext, settings: VolumeProbeSettings, prepared: Prepared): Promise<VolumeData> {
  const { bookings: wanted, concurrency, retryShare } = settings;
  const { plan } = prepared;
  const clock = monotonicNow();
  const keyed = (b: BurstBooking) => ({ key: b.key, slot: b.slot.id, start: b.slot.start, patientId: prepared.patientId });
  const watch = new LandingWatch(ctx, plan.map(keyed), clock, LOOK_INTERVAL_MS);
  // While the burst runs, the EHR is watched for every booking the vendor accepted, so lags are measured under load.
  let acceptedKeys: string[] = [];
  const following = watch.follow(() => acceptedKeys);
  const burst = await runBurst(ctx, plan, concurrency, prepared.patientId, clock, (key) => (acceptedKeys = [...acceptedKeys, key]));
  await following.stop();
  // Accepted bookings not in the EHR yet are waited for up to the lag bound: a queue may enter them late.
  const waitedMs = await watch.waitFor(acceptedKeys, settings.queueWaitMs);

  const started = plan.filter((b) => burst.requests.has(b.key));
  const searchSlots = canSearchBookingsOnSlot(ctx);
  const census = await countInEhr(ctx, started.map(keyed), searchSlots);
  const bookings = started.map((b): VolumeBooking => {
    const requests = burst.requests.get(b.key)!;
    const held = census.byKey.get(b.key) ?? [];
    const active = held.filter((a) => ACTIVE_APPOINTMENT.has(a.status));
    const firstAccepted = requests.find((r) => isAccepted(r));
    return {
      key: b.key,
      slot: b.slot.id,
      requests,
      landed: active.length,
      appointmentIds: held.map((a) => (ACTIVE_APPOINTMENT.has(a.status) ? a.id ?? '?' : `${a.id ?? '?'} (${a.status})`)),
      lag: firstAccepted ? watch.lagOf(b.key, firstAccepted.sentMs, firstAccepted.answeredMs ?? firstAccepted.sentMs) : null,
    };
  });
  return {
    settings: { bookings: wanted, concurrency, retryShare },
    slotsFree: prepared.slotsFree,
    bookings,
    notStarted: burst.notStarted,
    unkeyed: census.unkeyed,
    slotsSearched: searchSlots,
    throttledAnswers: 0,
    lookIntervalMs: LOOK_INTERVAL_MS,
    burstMs: burst.burstMs,
    waitedMs,
    peakInFlight: burst.peakInFlight,
    interrupted: ctx.signal.aborted,
    premises: prepared.premises,
    ...(watch.errors.length && { lookErrors: watch.errors }),
  };
}

const isAccepted = (r: VolumeRequest) => r.outcome !== 'throttled' && r.outcome !== 'no-answer' && accepted(r.outcome);
