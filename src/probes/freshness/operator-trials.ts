// EHR → vendor lag where the EHR's API cannot make the change: a person makes it in the EHR's screens (or the
// operator script does), the EHR's API shows when it landed where it can, and the vendor is timed from there. Where
// the EHR offers no Slot search but finds a person's booking, the change is a booking for the run's test patient
// (an Appointment search shows it), else a block (a Slot search shows it, or nothing does and the trial's start is
// known only within the span between asking and confirming). Each trial is undone by the person again.
import { lagSample } from '../../freshness/lag.js';
import { watchForChange, type WatchResult } from '../../freshness/poll.js';
import { personBookingsVisible, personChange, slotsNeedAPerson, type ChangeRequest, type PersonChange } from '../../ehr/person-steps.js';
import { personChangeTiming } from '../../operator/timing.js';
import type { OperatorStepRecord } from '../../operator/types.js';
import type { ConnectionContext } from '../../context.js';
import type { Slot } from '../../model/fhir.js';
import { runKey } from '../../safety/run-records.js';
import { sleep } from '../../timing.js';
import { personPremise } from '../../ehr/slot-changes.js';
import { LagRecorder, offsetsFor, type TrialRun } from './lag-trials.js';
import { vendorLook, vendorSees } from './slots.js';
import type { LagData } from './types.js';

interface Held {
  slot: Slot;
  appointmentId?: string;
}

export async function measureEhrToVendorByPerson(ctx: ConnectionContext, run: TrialRun): Promise<LagData> {
  const rec = new LagRecorder(run, offsetsFor(run, 1));
  const steps: OperatorStepRecord[] = [];
  const timeoutMs = run.settings.timeoutSeconds * 1000;
  // Without Slot search a block cannot be seen through the API, but a person's booking can, where Appointment
  // search finds it: that narrows the change's moment. Where neither can be seen, a block: the confirmation span
  // alone bounds the moment, and its undo needs no id.
  const byBooking = slotsNeedAPerson(ctx) && personBookingsVisible(ctx);
  const vendorShows = (slot: Slot, wanted: 'free' | 'not-free') => async () => ((await vendorSees(ctx, slot)) === wanted ? ('new' as const) : ('old' as const));
  // A polled vendor (a feed): looked at as often as it can be read, each look timed by the read behind it.
  const readIntervalMs = ctx.vendor.can.readIntervalMs;
  const vendorWatch = (slot: Slot, wanted: 'free' | 'not-free') => vendorLook(ctx, slot, wanted);
  const undoOf = (held: Held): ChangeRequest =>
    byBooking ? { kind: 'cancel', slot: held.slot, patientId: run.patientId, appointmentId: held.appointmentId } : { kind: 'free-slot', slot: held.slot };

  /** Asks for the change while watching the vendor, then keeps watching it; adds the trial's sample. */
  const measure = async (request: ChangeRequest, wanted: 'free' | 'not-free', label: string): Promise<{ change: PersonChange; kept: boolean; seen: boolean }> => {
    const change = await personChange(ctx, { ...request, vendorLook: vendorShows(request.slot, wanted) });
    steps.push(change.record);
    rec.premises.push(personPremise(request.kind, request.slot, change.ehr));
    const confirmedAt = change.result.confirmedAtMs ?? change.result.askedAtMs;
    const timing = personChangeTiming(change.result.askedAtMs, confirmedAt, change.ehr);
    const early = change.vendor.some((o) => o.shows === 'new');
    // The vendor is given the full timeout from the confirmation: the person's own pace is not the vendor's lag.
    const after: WatchResult = early
      ? { observations: [], seen: true, interrupted: false, errors: [] }
      : await watchForChange(vendorWatch(request.slot, wanted), { change: { sentAt: confirmedAt, answeredAt: confirmedAt }, timeoutMs, signal: ctx.signal, ...(readIntervalMs && { readIntervalMs }) });
    const watch: WatchResult = { ...after, observations: [...change.vendor, ...after.observations], seen: early || after.seen };
    const kept = rec.add(watch, () => lagSample(timing, watch.observations, 'ehr-to-vendor', label));
    return { change, kept, seen: watch.seen };
  };

  let held: Held | undefined;
  // Slots this trial took from the pool: each is retired when the trial lets go of it, the rest at the end.
  let taken = 0;
  const letGo = (): undefined => {
    if (taken > 0) {
      taken -= 1;
      run.pool.retire();
    }
    return undefined;
  };
  try {
    for (let i = 0; i < run.settings.trials && !ctx.signal.aborted; i++) {
      run.progress('EHR → vendor (by a person at the EHR)', i);
      await sleep(rec.offsetsMs[i]!, ctx.signal);
      if (held && (await vendorSees(ctx, held.slot)) === 'not-free') {
        const undo = undoOf(held);
        held = letGo();
        const { kept } = await measure(undo, 'free', byBooking ? 'operator-cancel' : 'operator-free-slot');
        if (!kept) break;
        continue;
      }
      if (held) steps.push((await personChange(ctx, undoOf(held))).record);
      if (held) held = letGo();
      const { slot, premise } = await run.pool.takeConfirmed(ctx);
      taken += 1;
      rec.premises.push(premise);
      const label = byBooking ? 'operator-book-slot' : 'operator-block-slot';
      const request: ChangeRequest = byBooking
        ? { kind: 'book-slot', slot, patientId: run.patientId, key: runKey(ctx, 'person-booking') }
        : { kind: 'block-slot', slot };
      rec.slots.push(slot.id);
      rec.methods.add(label);
      const { change, kept, seen } = await measure(request, 'not-free', label);
      if (byBooking && !change.appointmentId) throw new Error(`the booking made on Slot ${slot.id} could not be found through the EHR's API`);
      held = { slot, appointmentId: change.appointmentId };
      if (!kept) break;
      if (!seen) {
        const undo = undoOf(held);
        held = letGo();
        steps.push((await personChange(ctx, undo)).record);
      }
    }
  } finally {
    // Best effort; whatever stays is asked for again by the run's cleanup.
    if (held) await personChange(ctx, undoOf(held)).then((c) => steps.push(c.record), () => undefined);
    // A person's changed slots are not lent out again; the concurrent trials waiting on the pool must not wait for them.
    for (; taken > 0; taken--) run.pool.retire();
  }
  if (ctx.signal.aborted) rec.interrupted = true;
  return rec.data({ operatorSteps: steps, ...(readIntervalMs && { readIntervalMs }) });
}
