// The two lag measurements. ehr-to-vendor: change a slot in the EHR, poll the vendor's availability until it
// shows. vendor-to-ehr: book through the vendor, poll the EHR until the booking is there. The trials of a
// direction run at once, each on its own slot (./concurrent.ts says why they cannot bias each other); every
// slot a trial touches is put back, and every booking removed, before its slot can serve another trial.
import { lagSample, summariseLag, type ChangeTiming } from '../../freshness/lag.js';
import { watchForChange, type WatchResult } from '../../freshness/poll.js';
import { offsetWindowMs, startOffsets, trialSpacingMs } from '../../freshness/schedule.js';
import { ProbeError, type ProbeErrorKind } from '../../http/types.js';
import type { LagSample } from '../../model/report.js';
import type { ConnectionContext } from '../../context.js';
import type { Slot } from '../../model/fhir.js';
import { bookViaVendor } from '../../vendor/requests.js';
import { runKey } from '../../safety/run-records.js';
import { sleep } from '../../timing.js';
import { accepted, vendorOutcome } from '../../vendor/outcome.js';
import type { Premise } from '../../ehr/premise.js';
import { blockSlot, freeSlot, type SlotChange } from '../../ehr/slot-changes.js';
import { removeBookings } from '../../ehr/take-back.js';
import { onSlot, runTrials, type TrialClock } from './concurrent.js';
import { ehrHoldsBooking, timed, vendorLook, type SlotPool, type SlotSource } from './slots.js';
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
  /** How the EHR confirmed the test patient: the first premise of every trial. */
  patientPremise?: Premise;
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
  /** Every premise the trials rested on, confirmed in the EHR: the patient, each slot free, each change made. */
  readonly premises: Premise[] = [];
  /** The premises of trials that run at once, by trial, so the evidence lists them in trial order. */
  private readonly byTrial: Premise[][] = [];
  interrupted = false;

  constructor(private readonly run: TrialRun, readonly offsetsMs: number[]) {
    if (run.patientPremise) this.premises.push(run.patientPremise);
  }

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

  /** Trial k rested on this premise. */
  premise(trial: number, premise: Premise): void {
    (this.byTrial[trial] ??= []).push(premise);
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
      premises: [...this.premises, ...this.byTrial.flatMap((p) => p ?? [])],
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
 * odd trials free a slot they blocked first (the vendor must offer it again). Each change is read back from the
 * EHR before the vendor is timed: a change the EHR did not take is no change to time. An odd trial's block is only
 * its set-up; if the vendor never shows it, that block is the trial's sample, since "freeing" a slot the vendor
 * never saw busy proves nothing.
 */
export async function measureEhrToVendor(ctx: ConnectionContext, run: TrialRun, slots: SlotSource[]): Promise<LagData> {
  const rec = new LagRecorder(run, offsetsFor(run, 1));
  const timeoutMs = run.settings.timeoutSeconds * 1000;
  const spacing = trialSpacingMs(timeoutMs);
  // Each block starts from the way that held last: the EHR will not take the ways before it now either.
  let lastWay: SlotChange['way'] | undefined;
  // A polled vendor (a feed) is looked at no more often than it can be read, and each look keeps when it was read.
  const readIntervalMs = ctx.vendor.can.readIntervalMs;
  // What a person's change records as it goes: the state only.
  const stateOnly = (c: ConnectionContext, slot: Slot, wanted: 'free' | 'not-free') => async () => {
    const answer = await vendorLook(c, slot, wanted)();
    return typeof answer === 'string' ? answer : answer.shows;
  };
  /** Watches the vendor from the change on; looks made while a person worked count too. */
  const watch = async (c: ConnectionContext, slot: Slot, change: SlotChange, wanted: 'free' | 'not-free'): Promise<WatchResult> => {
    if (change.vendor.some((o) => o.shows === 'new')) return { observations: change.vendor, seen: true, interrupted: false, errors: [] };
    const after = await watchForChange(vendorLook(c, slot, wanted), { change: change.timing, timeoutMs, signal: c.signal, ...(readIntervalMs && { readIntervalMs }) });
    return { ...after, observations: [...change.vendor, ...after.observations] };
  };

  const trial = (k: number, c: ConnectionContext) =>
    onSlot(c, slots[k]!, run.pool, async ({ slot, premise }) => {
      run.progress('EHR → vendor', k);
      rec.premise(k, premise);
      let held: SlotChange | undefined;
      const undo = async (vendorLook?: () => Promise<'old' | 'new'>) => {
        const change = held!;
        held = undefined;
        const freed = await freeSlot(c, slot, change, { ...(vendorLook && { vendorLook }) });
        rec.premise(k, freed.premise);
        return freed;
      };
      const block = async () => {
        const change = await blockSlot(c, slot, { patientId: run.patientId, vendorLook: stateOnly(c, slot, 'not-free'), ...(lastWay && { from: lastWay }) });
        held = change;
        lastWay = change.way;
        rec.premise(k, change.premise);
        rec.touch(k, slot.id);
        rec.methods.add(change.way);
        const seen = await watch(c, slot, change, 'not-free');
        return { seen, sample: () => lagSample(change.timing, seen.observations, 'ehr-to-vendor', 'block-slot'), place: { trial: k, slot: slot.id, startMs: startOf(run, change.timing) } };
      };
      try {
        if (k % 2 === 1) {
          const setUp = await block();
          if (!setUp.seen.seen) return void rec.add(setUp.seen, setUp.sample, setUp.place);
          await sleep(rec.offsetsMs[k]!, c.signal);
          if (c.signal.aborted) return void (rec.interrupted = true);
          const freed = await undo(stateOnly(c, slot, 'free'));
          const seen = await watch(c, slot, freed, 'free');
          return void rec.add(seen, () => lagSample(freed.timing, seen.observations, 'ehr-to-vendor', 'free-slot'), { trial: k, slot: slot.id, startMs: startOf(run, freed.timing) });
        }
        await sleep(rec.offsetsMs[k]!, c.signal);
        if (c.signal.aborted) return void (rec.interrupted = true);
        const measured = await block();
        rec.add(measured.seen, measured.sample, measured.place);
      } finally {
        // Best effort here; the run's ledger-driven cleanup puts back whatever this could not.
        if (held) await undo().catch(() => undefined);
      }
    });

  await runTrials(ctx, run.settings.trials, run.clock, (k) => k * spacing, trial);
  if (ctx.signal.aborted) rec.interrupted = true;
  return rec.data(readIntervalMs ? { readIntervalMs } : {});
}

/** Books through the vendor and waits for the booking in the EHR; a 202 queue shows here as its true delay. */
export async function measureVendorToEhr(ctx: ConnectionContext, run: TrialRun, slots: SlotSource[]): Promise<LagData> {
  const rec = new LagRecorder(run, offsetsFor(run, 2));
  const timeoutMs = run.settings.timeoutSeconds * 1000;
  const spacing = trialSpacingMs(timeoutMs);
  const statuses: number[] = [];
  const keys: string[] = [];
  rec.methods.add('vendor-booking');

  const trial = (k: number, c: ConnectionContext) =>
    onSlot(c, slots[k]!, run.pool, async ({ slot, premise }) => {
      run.progress('vendor → EHR', k);
      await sleep(rec.offsetsMs[k]!, c.signal);
      if (c.signal.aborted) return void (rec.interrupted = true);
      rec.premise(k, premise);
      const key = runKey(c, 'lag');
      keys.push(key);
      rec.touch(k, slot.id);
      const { result: answer, timing } = await timed(() => bookViaVendor(c, slot, run.patientId, key));
      statuses[k] = answer.status;
      if (!accepted(answer.outcome)) return;
      const hint = { slot, patientId: run.patientId };
      const seen = await watchForChange(async () => ((await ehrHoldsBooking(c, key, hint)) ? 'new' : 'old'), { change: timing, timeoutMs, signal: c.signal });
      const label = answer.outcome === 'queued' ? 'book-queued' : 'book';
      try {
        rec.add(seen, () => lagSample(timing, seen.observations, 'vendor-to-ehr', label), { trial: k, slot: slot.id, startMs: startOf(run, timing) });
      } finally {
        const freed = await removeBookings(c, [key], slot, hint);
        if (freed) rec.premise(k, freed);
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
  const refused = answered.filter((s) => !accepted(vendorOutcome(s))).length;
  if (rec.samples.filter(Boolean).length === 0 && refused > 0) {
    throw new ProbeError('http', `the vendor refused every booking of a slot free in the EHR and in its own view (HTTP ${[...new Set(answered)].join(', ')})`);
  }
  return rec.data({ vendorStatuses: answered, refused });
}
