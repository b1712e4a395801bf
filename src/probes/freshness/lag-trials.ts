// The two lag measurements. ehr-to-vendor: change a slot in the EHR, poll the vendor's availability until it
// shows. vendor-to-ehr: book through the vendor, poll the EHR until the booking is there. The trials of a
// direction run at once, each on its own slot (./concurrent.ts says why they cannot bias each other); every
// slot a trial touches is put back, and every booking removed, before its slot can serve another trial.
import { lagSample, summariseLag, type ChangeTiming } from '../../freshness/lag.js';
import { watchForChange, type WatchResult } from '../../freshness/poll.js';
import { offsetWindowMs, startOffsets, trialSpacingMs } from '../../freshness/schedule.js';
import { ProbeError, type ProbeErrorKind } from '../../http/types.js';
import type { LagSample } from '../../model/report.js';
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
  type Slot,
} from '../ehr-ops.js';
import { sleep } from '../outcome.js';
import { onSlot, runTrials, type TrialClock } from './concurrent.js';
import { ehrHoldsBooking, timed, vendorSees, type SlotPool, type SlotSource } from './slots.js';
import type { FreshnessProbeSettings, LagData, ProbeErrorNote } from './types.js';

export interface TrialRun {
  settings: FreshnessProbeSettings;
  pool: SlotPool;
  patientId: string;
  seed: number;
  /** When the connection's trials began: every trial's start is counted from here. */
  clock: TrialClock;
  /** Reports that trial i of n has started. */
  progress(direction: string, trial: number): void;
}

/** Where one trial stands among the others: its index, its slot, and when its change was sent. */
interface TrialPlace {
  trial: number;
  slot: string;
  startMs: number;
}

/** Collects a direction's samples, by trial, and turns them into `LagData`. */
export class LagRecorder {
  /** By trial index; a trial without a sample leaves a hole. */
  readonly samples: LagSample[] = [];
  readonly slots: string[] = [];
  readonly methods = new Set<string>();
  readonly pollErrors: ProbeErrorNote[] = [];
  interrupted = false;

  constructor(private readonly run: TrialRun, readonly offsetsMs: number[]) {}

  /** Adds a trial's sample (the next one, or trial `at.trial`); false when the run was interrupted during it. */
  add(watch: WatchResult, sample: () => LagSample, at?: TrialPlace): boolean {
    for (const e of watch.errors) if (this.pollErrors.length < 5) this.pollErrors.push(e);
    if (watch.interrupted) {
      this.interrupted = true;
      return false;
    }
    if (!watch.observations.some((o) => o.shows !== 'unreadable')) {
      const first = watch.errors[0] ?? { kind: 'timeout', message: 'no answer' };
      throw new ProbeError(first.kind as ProbeErrorKind, `polls got no usable answer: ${first.message}`);
    }
    if (at) this.samples[at.trial] = { ...sample(), slot: at.slot, startMs: at.startMs };
    else this.samples.push(sample());
    return true;
  }

  /** Trial k changed this slot. */
  touch(trial: number, slotId: string): void {
    this.slots[trial] = slotId;
  }

  data(extra: Partial<LagData> = {}): LagData {
    const { settings } = this.run;
    const samples = this.samples.filter(Boolean);
    return {
      lag: summariseLag(samples, settings),
      methods: [...this.methods],
      slots: this.slots.filter(Boolean),
      // The offsets of the trials that gave a sample, in trial order.
      offsetsMs: this.offsetsMs.filter((_, k) => this.samples[k] !== undefined),
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

/** ms from the trials' clock to the moment a change was sent. */
const startOf = (run: TrialRun, timing: ChangeTiming) => Math.max(0, Math.round(timing.sentAt - run.clock));

/**
 * Both directions of a change are measured: even trials block a free slot (the vendor must stop offering it),
 * odd trials free a slot they blocked first (the vendor must offer it again). An odd trial's block is only its
 * set-up; if the vendor never shows it, that block is the trial's sample, since "freeing" a slot the vendor never
 * saw busy proves nothing.
 */
export async function measureEhrToVendor(ctx: ConnectionContext, run: TrialRun, slots: SlotSource[]): Promise<LagData> {
  const rec = new LagRecorder(run, offsetsFor(run, 1));
  const timeoutMs = run.settings.timeoutSeconds * 1000;
  const spacing = trialSpacingMs(timeoutMs);
  const watch = (c: ConnectionContext, slot: Slot, timing: ChangeTiming, wanted: 'free' | 'not-free') =>
    watchForChange(async () => ((await vendorSees(c, slot)) === wanted ? 'new' : 'old'), { change: timing, timeoutMs, signal: c.signal });

  const trial = (k: number, c: ConnectionContext) =>
    onSlot(c, slots[k]!, run.pool, async (slot) => {
      run.progress('EHR → vendor', k);
      const block = async () => {
        const { result: how, timing } = await timed(() => blockSlotInEhr(c, slot, run.patientId));
        if (how.status >= 300) throw new Error(`the EHR refused to block slot ${slot.id} (HTTP ${how.status})`);
        held = how;
        rec.touch(k, slot.id);
        rec.methods.add(how.method);
        const seen = await watch(c, slot, timing, 'not-free');
        return { seen, sample: () => lagSample(timing, seen.observations, 'ehr-to-vendor', 'block-slot'), place: { trial: k, slot: slot.id, startMs: startOf(run, timing) } };
      };
      let held: Awaited<ReturnType<typeof blockSlotInEhr>> | undefined;
      try {
        if (k % 2 === 1) {
          const setUp = await block();
          if (!setUp.seen.seen) return void rec.add(setUp.seen, setUp.sample, setUp.place);
          await sleep(rec.offsetsMs[k]!, c.signal);
          if (c.signal.aborted) return void (rec.interrupted = true);
          const how = held!;
          const { result: status, timing } = await timed(() => freeSlotInEhr(c, slot.id, how));
          held = undefined;
          if (status >= 300) throw new Error(`the EHR refused to free slot ${slot.id} again (HTTP ${status})`);
          const seen = await watch(c, slot, timing, 'free');
          return void rec.add(seen, () => lagSample(timing, seen.observations, 'ehr-to-vendor', 'free-slot'), { trial: k, slot: slot.id, startMs: startOf(run, timing) });
        }
        await sleep(rec.offsetsMs[k]!, c.signal);
        if (c.signal.aborted) return void (rec.interrupted = true);
        const measured = await block();
        rec.add(measured.seen, measured.sample, measured.place);
      } finally {
        // Best effort here; the run's ledger-driven cleanup puts back whatever this could not.
        if (held) await freeSlotInEhr(c, slot.id, held).catch(() => undefined);
      }
    });

  await runTrials(ctx, run.settings.trials, run.clock, (k) => k * spacing, trial);
  if (ctx.signal.aborted) rec.interrupted = true;
  return rec.data();
}

const ACCEPTED = new Set([200, 201, 202]);

/** Books through the vendor and waits for the booking in the EHR; a 202 queue shows here as its true delay. */
export async function measureVendorToEhr(ctx: ConnectionContext, run: TrialRun, slots: SlotSource[]): Promise<LagData> {
  const rec = new LagRecorder(run, offsetsFor(run, 2));
  const timeoutMs = run.settings.timeoutSeconds * 1000;
  const spacing = trialSpacingMs(timeoutMs);
  const statuses: number[] = [];
  const keys: string[] = [];
  rec.methods.add('vendor-booking');

  const trial = (k: number, c: ConnectionContext) =>
    onSlot(c, slots[k]!, run.pool, async (slot) => {
      run.progress('vendor → EHR', k);
      await sleep(rec.offsetsMs[k]!, c.signal);
      if (c.signal.aborted) return void (rec.interrupted = true);
      const key = runKey(c.runId, 'lag');
      keys.push(key);
      rec.touch(k, slot.id);
      const { result: answer, timing } = await timed(() => bookViaVendor(c, slot, run.patientId, key));
      statuses[k] = answer.status;
      if (!ACCEPTED.has(answer.status)) return;
      const hint = { slot, patientId: run.patientId };
      const seen = await watchForChange(async () => ((await ehrHoldsBooking(c, key, hint)) ? 'new' : 'old'), { change: timing, timeoutMs, signal: c.signal });
      const label = answer.status === 202 ? 'book-queued' : 'book';
      try {
        rec.add(seen, () => lagSample(timing, seen.observations, 'vendor-to-ehr', label), { trial: k, slot: slot.id, startMs: startOf(run, timing) });
      } finally {
        await removeBookings(c, [key], slot.id, hint);
      }
    });

  try {
    await runTrials(ctx, run.settings.trials, run.clock, (k) => k * spacing, trial);
  } finally {
    // A queued booking may land after its trial ended; the run's cleanup also finds it later by its KEY.
    await removeBookings(ctx, keys).catch(() => undefined);
  }
  if (ctx.signal.aborted) rec.interrupted = true;
  const answered = statuses.filter((s) => s !== undefined);
  const refused = answered.filter((s) => !ACCEPTED.has(s)).length;
  if (rec.samples.filter(Boolean).length === 0 && refused > 0) {
    throw new ProbeError('http', `the vendor refused every booking of a slot free in the EHR and in its own view (HTTP ${[...new Set(answered)].join(', ')})`);
  }
  return rec.data({ vendorStatuses: answered, refused });
}

/**
 * Removes the EHR Appointments of these booking KEYs; puts the slot back to free if nothing else holds it. An EHR
 * whose API cannot take a booking back keeps it until the run's cleanup, which asks the person at the EHR.
 */
export async function removeBookings(ctx: ConnectionContext, keys: string[], slotId?: string, hint?: BookingHint): Promise<void> {
  if (!canRemoveAppointments(ctx)) return;
  for (const key of keys) {
    for (const appointment of await ehrAppointmentsByKey(ctx, key, hint)) {
      if (appointment.id && appointment.status !== 'cancelled') await removeAppointment(ctx, appointment.id);
    }
  }
  if (slotId === undefined || !canReadSlots(ctx)) return;
  const slot = await readSlot(ctx, slotId);
  if (slot.status !== 'free' && (await ehrBookingsOnSlot(ctx, slotId)).length === 0) {
    await freeSlotInEhr(ctx, slotId, { method: 'slot-update' });
  }
}
