// How a connection's freshness trials overlap. Every trial of a direction runs at once, each on its own slot,
// launched at its own moment of a shared clock; a trial that fails stops its siblings (they put their slots
// back) and fails the direction, as one failed trial did when they ran one after another.
//
// Why overlapping trials do not bias each other: each trial changes only its own slot, and looks only at that
// slot (the vendor's free slots in a narrow window around it, or the EHR's Appointments under its own booking
// KEY), so another trial's change can never be mistaken for its own. No two trials of a direction make their
// change at the same moment (each has its own place in the stagger and its own seeded offset), and each
// trial's start and slot are kept in its sample, so anyone can line the trials up against each other.
import { monotonicNow, sleep } from '../../timing.js';
import type { ConnectionContext } from '../../context.js';
import type { SlotPool, SlotSource, TakenSlot } from './slots.js';

/** The moment every direction's trials are timed from (ms on the monotonic clock). */
export type TrialClock = number;

export const startClock = (): TrialClock => monotonicNow();

/** ms since the trials began, for the evidence. */
export function sinceStart(clock: TrialClock): number {
  return Math.round(monotonicNow() - clock);
}

/** One trial's slot, reserved ahead; `used` once the trial took it. */
export interface Reservation extends SlotSource {
  readonly used: boolean;
  takeConfirmed(ctx?: ConnectionContext): Promise<TakenSlot>;
}

/**
 * Reserves `count` slots now, in order, one per trial: which trial gets which slot is decided by the seed and
 * the order asked, not by which trial happens to reach the EHR first.
 */
export function reserveSlots(pool: SlotPool, ctx: ConnectionContext, count: number): Reservation[] {
  return Array.from({ length: count }, () => {
    const reserved = pool.takeConfirmed(ctx);
    reserved.catch(() => undefined); // awaited by its trial; a trial that never starts must not leave it unhandled
    const reservation = {
      used: false,
      takeConfirmed: () => {
        reservation.used = true;
        return reserved;
      },
    };
    return reservation;
  });
}

/** Gives back the slots of trials that never started (interrupted, or stopped by a sibling's failure). */
export function releaseUnused(pool: SlotPool, reservations: readonly Reservation[]): void {
  for (const r of reservations) {
    if (!r.used) void r.takeConfirmed().then(({ slot }) => pool.giveBack(slot), () => undefined);
  }
}

/**
 * Runs trial k for every k < count at once, each launched `launchMs(k)` after `clock`. Resolves with each trial's
 * result by index (undefined: interrupted before it could finish). A trial that throws stops the others and
 * its error is the direction's, once they have all stopped and put their slots back.
 */
export async function runTrials<R>(
  ctx: ConnectionContext,
  count: number,
  clock: TrialClock,
  launchMs: (k: number) => number,
  trial: (k: number, ctx: ConnectionContext) => Promise<R>,
): Promise<Array<R | undefined>> {
  const stop = new AbortController();
  const signal = AbortSignal.any([ctx.signal, stop.signal]);
  const trialCtx: ConnectionContext = { ...ctx, signal };
  let failure: { error: unknown } | undefined;
  const results = await Promise.all(
    Array.from({ length: count }, async (_, k): Promise<R | undefined> => {
      await sleep(clock + launchMs(k) - monotonicNow(), signal);
      if (signal.aborted) return undefined;
      try {
        return await trial(k, trialCtx);
      } catch (error) {
        // After the run is interrupted, a trial cut short is not a failure of the direction.
        if (!ctx.signal.aborted && !failure) {
          failure = { error };
          stop.abort();
        }
        return undefined;
      }
    }),
  );
  if (failure) throw failure.error;
  return results;
}

/**
 * Takes a trial's slot (with how the EHR confirmed it free), runs the trial on it, and gives the slot back to the
 * pool however the trial ends.
 */
export async function onSlot<R>(ctx: ConnectionContext, source: SlotSource, pool: SlotPool, body: (taken: TakenSlot) => Promise<R>): Promise<R> {
  const taken = await source.takeConfirmed(ctx);
  try {
    return await body(taken);
  } finally {
    pool.giveBack(taken.slot);
  }
}
