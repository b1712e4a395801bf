// What the freshness trials share: a pool of slots free on both sides, the two "looks" a trial polls, and
// timing a change by its request's start and answer.
import { monotonicNow } from '../../timing.js';
import { mulberry32 } from '../../freshness/schedule.js';
import type { ChangeTiming } from '../../freshness/lag.js';
import type { RequestRecord } from '../../model/report.js';
import type { ConnectionContext } from '../../context.js';
import { canReadSlots, ehrAppointmentsByKey, readSlot, slotWindow, type BookingHint } from '../../ehr/ops.js';
import { ACTIVE_APPOINTMENT } from '../../ehr/removal.js';
import type { Slot } from '../../model/fhir.js';
import { vendorFreeSlots } from '../../vendor/requests.js';
import { ehrSlotState, readPremise, type Premise } from '../../ehr/premise.js';

/** A trial's precondition could not be met: no slot is free both in the EHR and in the vendor's view. */
export class NoSlotError extends Error {
  override readonly name = 'NoSlotError';
}

/** A slot handed to a trial, with how the EHR confirmed it free when it was handed out. */
export interface TakenSlot {
  slot: Slot;
  premise: Premise;
}

/** Hands out slots to trials; a pool, or one slot reserved for one trial. */
export interface SlotSource {
  takeConfirmed(ctx: ConnectionContext): Promise<TakenSlot>;
}

/**
 * Slots free in the EHR and in the vendor's view when the probe began, handed out in a seeded random order (so
 * reruns with the same seed touch the same slots, and different runs spread their writes). Each is checked
 * again when taken: another probe or a person may have booked it since. Takes are served one at a time, in the
 * order they were asked for, so trials that run at once still get distinct slots, and the same ones on a rerun.
 * A trial gives its slot back once it has put it back; when the pool runs dry, the next take waits for one.
 */
export class SlotPool implements SlotSource {
  private readonly queue: Slot[];
  /** Slots out with trials now. */
  private lent = 0;
  private turn: Promise<unknown> = Promise.resolve();
  private wake: (() => void) | undefined;

  constructor(candidates: Slot[], seed: number) {
    const random = mulberry32(seed);
    this.queue = [...candidates];
    for (let i = this.queue.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [this.queue[i], this.queue[j]] = [this.queue[j]!, this.queue[i]!];
    }
  }

  get remaining(): number {
    return this.queue.length;
  }

  /** The next slot that is still free in the EHR and that the vendor still shows as free. */
  async take(ctx: ConnectionContext): Promise<Slot> {
    return (await this.takeConfirmed(ctx)).slot;
  }

  /** `take`, with how the EHR confirmed the slot free (the premise of a booking made on it). */
  takeConfirmed(ctx: ConnectionContext): Promise<TakenSlot> {
    const mine = this.turn.then(() => this.next(ctx));
    this.turn = mine.catch(() => undefined);
    return mine;
  }

  /** A trial is done with its slot (and has put it back): another trial may use it, after checking it again. */
  giveBack(slot: Slot): void {
    this.lent = Math.max(0, this.lent - 1);
    this.queue.push(slot);
    this.wake?.();
  }

  /** A trial is done with its slot and keeps it out of the pool (a person's trials): nobody waits for it any more. */
  retire(): void {
    this.lent = Math.max(0, this.lent - 1);
    this.wake?.();
  }

  private async next(ctx: ConnectionContext): Promise<TakenSlot> {
    for (;;) {
      while (this.queue.length > 0) {
        const candidate = this.queue.shift()!;
        // Read whole where the EHR reads a Slot: a later update sends it back, guarded by its version.
        const current = canReadSlots(ctx) ? await readSlot(ctx, candidate.id) : candidate;
        const state = canReadSlots(ctx) ? { free: current.status === 'free', readBy: 'slot-read' as const } : await ehrSlotState(ctx, candidate);
        if (state && !state.free) continue;
        if ((await vendorSees(ctx, current)) !== 'free') continue;
        this.lent += 1;
        // A slot the EHR's API cannot show was read free by a person moments ago.
        return { slot: current, premise: readPremise('slot-free', state?.readBy ?? 'person', current.id) };
      }
      if (this.lent === 0 || ctx.signal.aborted) break;
      await this.slotReturned(ctx.signal);
    }
    throw new NoSlotError('no slot left that is free both in the EHR and in the vendor’s view of the probed window');
  }

  private slotReturned(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        signal.removeEventListener('abort', done);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      this.wake = done;
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

/** Whether the vendor currently offers this slot as free (its answer for a narrow window around the slot). */
export async function vendorSees(ctx: ConnectionContext, slot: Slot): Promise<'free' | 'not-free'> {
  // A person asking the product slot by slot would be asked again for every trial: the reading they made when the
  // pool was filled (moments ago) stands, and the EHR side is still re-checked above.
  if (ctx.vendor.can.freeSlots.by === 'person') return 'free';
  const answer = await vendorFreeSlots(ctx, slotWindow(slot), [slot]);
  return answer.slotIds.includes(slot.id) ? 'free' : 'not-free';
}

/** Whether the EHR holds an active Appointment for a booking KEY. */
export async function ehrHoldsBooking(ctx: ConnectionContext, key: string, hint?: BookingHint): Promise<boolean> {
  return (await ehrAppointmentsByKey(ctx, key, hint)).some((a) => ACTIVE_APPOINTMENT.has(a.status));
}

/** Runs a change and notes when its request went out and when its answer came back. */
export async function timed<T>(change: () => Promise<T>): Promise<{ result: T; timing: ChangeTiming }> {
  const sentAt = monotonicNow();
  const result = await change();
  return { result, timing: { sentAt, answeredAt: monotonicNow() } };
}

/** Keeps evidence readable: the first and last requests of a long polling run, and how many were left out. */
export function trimRequests(records: RequestRecord[], keep = 60): { requests: RequestRecord[]; requestsOmitted?: number } {
  if (records.length <= keep) return { requests: records };
  const half = Math.floor(keep / 2);
  return { requests: [...records.slice(0, half), ...records.slice(-half)], requestsOmitted: records.length - 2 * half };
}
