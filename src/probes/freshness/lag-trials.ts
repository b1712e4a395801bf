// The two lag measurements. ehr-to-vendor: change a slot in the EHR, poll the vendor's availability until it
// shows. vendor-to-ehr: book through the vendor, poll the EHR until the booking is there. Every slot a trial
// touches is put back, and every booking removed, before the next trial starts.
import { lagSample, summariseLag, type ChangeTiming } from '../../freshness/lag.js';
import { watchForChange, type WatchResult } from '../../freshness/poll.js';
import { offsetWindowMs, startOffsets } from '../../freshness/schedule.js';
import { ProbeError, type ProbeErrorKind } from '../../http/types.js';
import type { LagSample } from '../../model/report.js';
import { BOOKING_IDENTIFIER_SYSTEM } from '../../safety/types.js';
import type { ConnectionContext } from '../context.js';
import { bookViaVendor, canRemoveAppointments, ehrAppointmentsByKey, ehrBookingsOnSlot, removeAppointment, runKey, type BookingHint, type Slot } from '../ehr-ops.js';
import { sleep } from '../outcome.js';
import { ehrSlotState, type Premise } from '../premise.js';
import { blockSlot, freeSlot, type SlotChange } from '../slot-changes.js';
import { ehrHoldsBooking, timed, vendorSees, type SlotPool } from './slots.js';
import type { FreshnessProbeSettings, LagData, ProbeErrorNote } from './types.js';

export interface TrialRun {
  settings: FreshnessProbeSettings;
  pool: SlotPool;
  patientId: string;
  seed: number;
  /** Reports "trial i of n" with an upper bound of the time left. */
  progress(direction: string, trial: number): void;
  /** How the EHR confirmed the test patient: the first premise of every trial. */
  patientPremise?: Premise;
}

/** Collects a direction's samples and turns them into `LagData`. */
export class LagRecorder {
  readonly samples: LagSample[] = [];
  readonly slots: string[] = [];
  readonly methods = new Set<string>();
  readonly pollErrors: ProbeErrorNote[] = [];
  /** Every premise the trials rested on, confirmed in the EHR: the patient, each slot free, each change made. */
  readonly premises: Premise[] = [];
  interrupted = false;

  constructor(private readonly run: TrialRun, readonly offsetsMs: number[]) {
    if (run.patientPremise) this.premises.push(run.patientPremise);
  }

  /** Adds a trial's sample; false when the run was interrupted during it (no sample). */
  add(watch: WatchResult, sample: () => LagSample): boolean {
    for (const e of watch.errors) if (this.pollErrors.length < 5) this.pollErrors.push(e);
    if (watch.interrupted) {
      this.interrupted = true;
      return false;
    }
    if (!watch.observations.some((o) => o.shows !== 'unreadable')) {
      const first = watch.errors[0] ?? { kind: 'timeout', message: 'no answer' };
      throw new ProbeError(first.kind as ProbeErrorKind, `polls got no usable answer: ${first.message}`);
    }
    this.samples.push(sample());
    return true;
  }

  data(extra: Partial<LagData> = {}): LagData {
    const { settings } = this.run;
    return {
      lag: summariseLag(this.samples, settings),
      methods: [...this.methods],
      slots: this.slots,
      offsetsMs: this.offsetsMs.slice(0, this.samples.length),
      seed: this.run.seed,
      pollErrors: this.pollErrors,
      premises: this.premises,
      interrupted: this.interrupted,
      ...extra,
    };
  }
}

export function offsetsFor(run: TrialRun, salt: number): number[] {
  return startOffsets(run.seed + salt, run.settings.trials, offsetWindowMs(run.settings.timeoutSeconds * 1000));
}

/**
 * Alternates the direction of the change so both are measured: block a free slot (the vendor must stop
 * offering it), then free it again (the vendor must offer it again). Each change is read back from the EHR
 * before the vendor is timed: a change the EHR did not take is no change to time. A block the vendor never saw
 * is undone unmeasured, and the next trial blocks a fresh slot: "freeing" a slot the vendor never saw busy proves nothing.
 */
export async function measureEhrToVendor(ctx: ConnectionContext, run: TrialRun): Promise<LagData> {
  const rec = new LagRecorder(run, offsetsFor(run, 1));
  const timeoutMs = run.settings.timeoutSeconds * 1000;
  let held: { slot: Slot; change: SlotChange } | undefined;
  const vendorShows = (slot: Slot, wanted: 'free' | 'not-free') => async () => ((await vendorSees(ctx, slot)) === wanted ? ('new' as const) : ('old' as const));
  /** Watches the vendor from the change on; looks made while a person worked count too. */
  const watch = async (slot: Slot, change: SlotChange, wanted: 'free' | 'not-free'): Promise<WatchResult> => {
    if (change.vendor.some((o) => o.shows === 'new')) return { observations: change.vendor, seen: true, interrupted: false, errors: [] };
    const after = await watchForChange(vendorShows(slot, wanted), { change: change.timing, timeoutMs, signal: ctx.signal });
    return { ...after, observations: [...change.vendor, ...after.observations] };
  };
  const undo = async (slot: Slot, change: SlotChange, vendorLook?: () => Promise<'old' | 'new'>) => {
    const freed = await freeSlot(ctx, slot, change, { ...(vendorLook && { vendorLook }) });
    rec.premises.push(freed.premise);
    return freed;
  };
  try {
    for (let i = 0; i < run.settings.trials && !ctx.signal.aborted; i++) {
      run.progress('EHR → vendor', i);
      await sleep(rec.offsetsMs[i]!, ctx.signal);
      if (held && (await vendorSees(ctx, held.slot)) === 'not-free') {
        const { slot, change } = held;
        held = undefined;
        const freed = await undo(slot, change, vendorShows(slot, 'free'));
        const seen = await watch(slot, freed, 'free');
        if (!rec.add(seen, () => lagSample(freed.timing, seen.observations, 'ehr-to-vendor', 'free-slot'))) break;
        continue;
      }
      if (held) await undo(held.slot, held.change);
      held = undefined;
      const { slot, premise } = await run.pool.takeConfirmed(ctx);
      rec.premises.push(premise);
      // Each trial starts from the way that held before: the EHR will not take the others now either.
      const from = [...rec.methods].pop() as SlotChange['way'] | undefined;
      const block = await blockSlot(ctx, slot, { patientId: run.patientId, vendorLook: vendorShows(slot, 'not-free'), ...(from && { from }) });
      held = { slot, change: block };
      rec.premises.push(block.premise);
      rec.slots.push(slot.id);
      rec.methods.add(block.way);
      const seen = await watch(slot, block, 'not-free');
      if (!rec.add(seen, () => lagSample(block.timing, seen.observations, 'ehr-to-vendor', 'block-slot'))) break;
      if (!seen.seen) {
        held = undefined;
        await undo(slot, block);
      }
    }
  } finally {
    // Best effort here; the run's ledger-driven cleanup puts back whatever this could not.
    if (held) await undo(held.slot, held.change).catch(() => undefined);
  }
  if (ctx.signal.aborted) rec.interrupted = true;
  return rec.data();
}

const ACCEPTED = new Set([200, 201, 202]);

/** Books through the vendor and waits for the booking in the EHR; a 202 queue shows here as its true delay. */
export async function measureVendorToEhr(ctx: ConnectionContext, run: TrialRun): Promise<LagData> {
  const rec = new LagRecorder(run, offsetsFor(run, 2));
  const timeoutMs = run.settings.timeoutSeconds * 1000;
  const statuses: number[] = [];
  const keys: string[] = [];
  rec.methods.add('vendor-booking');
  try {
    for (let i = 0; i < run.settings.trials && !ctx.signal.aborted; i++) {
      run.progress('vendor → EHR', i);
      await sleep(rec.offsetsMs[i]!, ctx.signal);
      const { slot, premise } = await run.pool.takeConfirmed(ctx);
      rec.premises.push(premise);
      const key = runKey(ctx.runId, 'lag');
      keys.push(key);
      rec.slots.push(slot.id);
      const { result: answer, timing } = await timed(() => bookViaVendor(ctx, slot, run.patientId, key));
      statuses.push(answer.status);
      if (!ACCEPTED.has(answer.status)) continue;
      const hint = { slot, patientId: run.patientId };
      const seen = await watchForChange(async () => ((await ehrHoldsBooking(ctx, key, hint)) ? 'new' : 'old'), { change: timing, timeoutMs, signal: ctx.signal });
      const label = answer.status === 202 ? 'book-queued' : 'book';
      const kept = rec.add(seen, () => lagSample(timing, seen.observations, 'vendor-to-ehr', label));
      const freed = await removeBookings(ctx, [key], slot, hint);
      if (freed) rec.premises.push(freed);
      if (!kept) break;
    }
  } finally {
    // A queued booking may land after its trial ended; the run's cleanup also finds it later by its KEY.
    await removeBookings(ctx, keys).catch(() => undefined);
  }
  if (ctx.signal.aborted) rec.interrupted = true;
  const refused = statuses.filter((s) => !ACCEPTED.has(s)).length;
  if (rec.samples.length === 0 && refused > 0) {
    throw new ProbeError('http', `the vendor refused every booking of a slot free in the EHR and in its own view (HTTP ${[...new Set(statuses)].join(', ')})`);
  }
  return rec.data({ vendorStatuses: statuses, refused });
}

/**
 * Removes the EHR Appointments of these booking KEYs and confirms the slot is free again (freeing it by Slot
 * update where a block of the run, not a booking, still closes it). An EHR whose API cannot take a booking back
 * keeps it until the run's cleanup, which asks the person at the EHR. Returns how the slot was confirmed free.
 */
export async function removeBookings(ctx: ConnectionContext, keys: string[], slot?: Slot, hint?: BookingHint): Promise<Premise | undefined> {
  if (!canRemoveAppointments(ctx)) return undefined;
  const tried: Premise['tried'] = [];
  for (const key of keys) {
    for (const appointment of await ehrAppointmentsByKey(ctx, key, hint)) {
      if (!appointment.id || appointment.status === 'cancelled') continue;
      tried.push({ via: 'remove-booking', status: (await removeAppointment(ctx, appointment.id, `${BOOKING_IDENTIFIER_SYSTEM}|${key}`)).status, held: false });
    }
  }
  if (slot === undefined) return undefined;
  const state = await ehrSlotState(ctx, slot);
  if (!state) return undefined;
  if (state.free || (await ehrBookingsOnSlot(ctx, slot.id)).length > 0) {
    // Still held by a booking that is not the run's: not the run's to free.
    const last = tried[tried.length - 1];
    if (last) last.held = state.free;
    return { premise: 'free-slot', slot: slot.id, via: state.free ? 'remove-booking' : null, confirmed: state.free, readBy: state.readBy, tried };
  }
  const freed = await freeSlot(ctx, slot, undefined, { ways: ['slot-update', 'slot-patch'] });
  return { ...freed.premise, tried: [...tried, ...freed.premise.tried] };
}
