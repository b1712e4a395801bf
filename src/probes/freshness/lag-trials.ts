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
import {
  blockSlotInEhr,
  bookViaVendor,
  canReadSlots,
  canRemoveAppointments,
  ehrAppointmentsByKey,
  ehrBookingsOnSlot,
  freeSlotInEhr,
  readSlot,
  removeAppointment,
  runKey,
  type BookingHint,
  type ChangeMethod,
  type Slot,
} from '../ehr-ops.js';
import { sleep } from '../outcome.js';
import { ehrHoldsBooking, timed, vendorSees, type SlotPool } from './slots.js';
import type { FreshnessProbeSettings, LagData, ProbeErrorNote } from './types.js';

export interface TrialRun {
  settings: FreshnessProbeSettings;
  pool: SlotPool;
  patientId: string;
  seed: number;
  /** Reports "trial i of n" with an upper bound of the time left. */
  progress(direction: string, trial: number): void;
}

/** Collects a direction's samples and turns them into `LagData`. */
export class LagRecorder {
  readonly samples: LagSample[] = [];
  readonly slots: string[] = [];
  readonly methods = new Set<string>();
  readonly pollErrors: ProbeErrorNote[] = [];
  interrupted = false;

  constructor(private readonly run: TrialRun, readonly offsetsMs: number[]) {}

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
 * offering it), then free it again (the vendor must offer it again). A block the vendor never saw is undone
 * unmeasured, and the next trial blocks a fresh slot: "freeing" a slot the vendor never saw busy proves nothing.
 */
export async function measureEhrToVendor(ctx: ConnectionContext, run: TrialRun): Promise<LagData> {
  const rec = new LagRecorder(run, offsetsFor(run, 1));
  const timeoutMs = run.settings.timeoutSeconds * 1000;
  let held: { slot: Slot; how: { method: ChangeMethod; appointmentId?: string } } | undefined;
  const watch = (slot: Slot, timing: ChangeTiming, wanted: 'free' | 'not-free') =>
    watchForChange(async () => ((await vendorSees(ctx, slot)) === wanted ? 'new' : 'old'), { change: timing, timeoutMs, signal: ctx.signal });
  try {
    for (let i = 0; i < run.settings.trials && !ctx.signal.aborted; i++) {
      run.progress('EHR → vendor', i);
      await sleep(rec.offsetsMs[i]!, ctx.signal);
      if (held && (await vendorSees(ctx, held.slot)) === 'not-free') {
        const { slot, how } = held;
        const { result: status, timing } = await timed(() => freeSlotInEhr(ctx, slot.id, how));
        held = undefined;
        if (status >= 300) throw new Error(`the EHR refused to free slot ${slot.id} again (HTTP ${status})`);
        const seen = await watch(slot, timing, 'free');
        if (!rec.add(seen, () => lagSample(timing, seen.observations, 'ehr-to-vendor', 'free-slot'))) break;
        continue;
      }
      if (held) await freeSlotInEhr(ctx, held.slot.id, held.how);
      held = undefined;
      const slot = await run.pool.take(ctx);
      const { result: how, timing } = await timed(() => blockSlotInEhr(ctx, slot, run.patientId));
      if (how.status >= 300) throw new Error(`the EHR refused to block slot ${slot.id} (HTTP ${how.status})`);
      held = { slot, how };
      rec.slots.push(slot.id);
      rec.methods.add(how.method);
      const seen = await watch(slot, timing, 'not-free');
      if (!rec.add(seen, () => lagSample(timing, seen.observations, 'ehr-to-vendor', 'block-slot'))) break;
      if (!seen.seen) {
        await freeSlotInEhr(ctx, slot.id, how);
        held = undefined;
      }
    }
  } finally {
    // Best effort here; the run's ledger-driven cleanup puts back whatever this could not.
    if (held) await freeSlotInEhr(ctx, held.slot.id, held.how).catch(() => undefined);
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
      const slot = await run.pool.take(ctx);
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
      await removeBookings(ctx, [key], slot.id, hint);
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
 * Removes the EHR Appointments of these booking KEYs; puts the slot back to free if nothing else holds it. An EHR
 * whose API cannot take a booking back keeps it until the run's cleanup, which asks the person at the EHR.
 */
export async function removeBookings(ctx: ConnectionContext, keys: string[], slotId?: string, hint?: BookingHint): Promise<void> {
  if (!canRemoveAppointments(ctx)) return;
  for (const key of keys) {
    for (const appointment of await ehrAppointmentsByKey(ctx, key, hint)) {
      if (appointment.id && appointment.status !== 'cancelled') await removeAppointment(ctx, appointment.id, `${BOOKING_IDENTIFIER_SYSTEM}|${key}`);
    }
  }
  if (slotId === undefined || !canReadSlots(ctx)) return;
  const slot = await readSlot(ctx, slotId);
  if (slot.status !== 'free' && (await ehrBookingsOnSlot(ctx, slotId)).length === 0) {
    await freeSlotInEhr(ctx, slotId, { method: 'slot-update' });
  }
}
