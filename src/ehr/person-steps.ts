// The probes' side of operator-assisted steps: which findings a run without a person must skip, the EHR's free
// slots read off its screen by a person, and a change a person makes in the EHR, written to the ledger first and
// watched through whatever the EHR's API can show of it.
import { supports } from '../capability/reader.js';
import type { FindingId } from '../model/report.js';
import type { ConnectionContext } from '../context.js';
import { ehrFreeSlots, slotWindow } from './ops.js';
import { ACTIVE_APPOINTMENT } from './removal.js';
import type { Appointment, Slot, Window } from '../model/fhir.js';
import { probe, type ProbeOutcome } from '../evidence.js';
import { BOOKING_IDENTIFIER_SYSTEM } from '../safety/types.js';
import { makeStep } from '../operator/instructions.js';
import { performObserved, type Look, type ObservedStep } from '../operator/observe.js';
import { readFreeSlots, ReadingError, type ReadSlot } from '../operator/reading.js';
import { NO_OPERATOR_REASON, StepFailed, StepSkipped, stepRecord, type OperatorResult, type OperatorStepRecord, type StepKind } from '../operator/types.js';

/** A person reads a few days of the schedule, not two weeks: enough free slots for every probe of a run. */
export const READING_DAYS = 4;
/** A reading this recent is reused by later probes (each slot is re-checked through the API when taken). */
const READING_REUSE_MS = 15 * 60 * 1000;

type Skipped = { kind: 'skipped'; reason: string };

/** The skip a finding gets when this EHR cannot support it, or when it needs a person and nobody can be asked. */
export function plannedSkip(ctx: ConnectionContext, id: FindingId, what: 'checked' | 'measured'): Skipped | undefined {
  const planned = ctx.methods?.[id];
  if (planned?.method === 'impossible') return { kind: 'skipped', reason: `cannot be ${what} on this EHR: ${planned.reason}` };
  if (planned?.method === 'operator' && !ctx.operator?.available) {
    return { kind: 'skipped', reason: `${ctx.operator?.unavailableReason ?? NO_OPERATOR_REASON} (${planned.reason})` };
  }
  // The vendor's side: what its kind cannot be asked, or a person using its product when nobody can be asked.
  const vendor = ctx.vendorMethods?.[id];
  if (vendor?.method === 'impossible') return { kind: 'skipped', reason: `cannot be ${what} with this vendor: ${vendor.reason}` };
  if (vendor?.method === 'operator' && !ctx.operator?.available) {
    return { kind: 'skipped', reason: `needs a person to use the vendor's product: run in a terminal, or give --operator-script (${vendor.reason})` };
  }
  return undefined;
}

/** The EHR offers no Slot search: which slots are free can only be read off its screen by a person. */
export function slotsNeedAPerson(ctx: ConnectionContext): boolean {
  const cap = ctx.capability;
  return Boolean(cap?.ok && !supports(cap, 'Slot', 'search-type'));
}

/** The skip of a probe that books a free slot, on an EHR without Slot search and nobody to read its screen. */
export function slotReadingSkip(ctx: ConnectionContext): Skipped | undefined {
  if (!slotsNeedAPerson(ctx) || ctx.operator?.available) return undefined;
  return {
    kind: 'skipped',
    reason: `${ctx.operator?.unavailableReason ?? NO_OPERATOR_REASON} (the EHR offers no Slot search: a person reads which slots are free, so that a booking starts from a slot the EHR holds free)`,
  };
}

/** The window a probe reads: two weeks by API, a few days when a person reads it. */
export function readingWindow(ctx: ConnectionContext, window: Window): Window {
  if (!slotsNeedAPerson(ctx)) return window;
  const end = Math.min(Date.parse(window.end), Date.parse(window.start) + READING_DAYS * 86_400_000);
  return { start: window.start, end: new Date(end).toISOString() };
}

export interface EhrSlotView {
  by: 'api' | 'operator';
  window: Window;
  slots: ReadSlot[];
  /** The EHR's own Slot resources, when its API was read (updates send them back whole). */
  resources?: Slot[];
  steps: OperatorStepRecord[];
}

/** The EHR's free slots of the probed schedule in `window`: by Slot search, or read by a person. */
export async function ehrFreeSlotView(ctx: ConnectionContext, window: Window, options: { reuse?: boolean } = {}): Promise<EhrSlotView> {
  if (!slotsNeedAPerson(ctx)) {
    const slots = await ehrFreeSlots(ctx, window);
    return { by: 'api', window, slots: slots.map((s) => ({ id: s.id, start: s.start, end: s.end, schedule: s.schedule?.reference })), resources: slots, steps: [] };
  }
  const last = ctx.slotReading;
  if (options.reuse && last && Date.now() - last.at < READING_REUSE_MS) {
    // A person who passed on the reading is not asked for it again in the same run.
    if (last.skipped !== undefined) throw new StepSkipped(last.skipped);
    return { by: 'operator', window: last.window, slots: last.slotIds.map((id) => ({ id })), steps: [] };
  }
  const step = makeStep({ kind: 'read-free-slots', connection: ctx.key, ehrBaseUrl: ctx.connection.ehr.fhirBaseUrl, runId: ctx.runId, schedule: ctx.schedule, window });
  const result = await ctx.operator!.perform(step, ctx.signal);
  try {
    expectDone(step.kind, result);
  } catch (error) {
    if (error instanceof StepSkipped) ctx.slotReading = { window, slotIds: [], at: Date.now(), skipped: error.message };
    throw error;
  }
  let slots: ReadSlot[];
  try {
    slots = readFreeSlots(result.reading);
  } catch (error) {
    throw new StepFailed(`the reading of free slots could not be used: ${error instanceof ReadingError ? error.message : String(error)}`);
  }
  ctx.slotReading = { window, slotIds: slots.map((s) => s.id), at: Date.now() };
  return { by: 'operator', window, slots, steps: [stepRecord(step, result)] };
}

/** Slots a probe can book: the read ones, completed (start, end) from the vendor's copy where the reading was bare. */
export function bookableSlots(read: readonly ReadSlot[], vendorSlots: readonly Slot[], schedule: string | undefined): Slot[] {
  const byId = new Map(vendorSlots.map((s) => [s.id, s]));
  return read.flatMap((r): Slot[] => {
    const known = byId.get(r.id);
    const start = r.start ?? known?.start;
    const end = r.end ?? known?.end;
    const reference = r.schedule ?? known?.schedule?.reference ?? schedule;
    if (!start || !end || !reference) return [];
    return [{ resourceType: 'Slot', id: r.id, status: 'free', start, end, schedule: { reference } }];
  });
}

/** A skipped step skips the finding; a failed one makes it an error. */
export function expectDone(kind: StepKind, result: OperatorResult): void {
  if (result.outcome === 'skipped') throw new StepSkipped(`the ${kind} step was not done: ${result.message ?? 'skipped'}`);
  if (result.outcome === 'failed') throw new StepFailed(result.message ?? `the ${kind} step failed`);
}

/** Like `probe`, but a step the person or script skipped makes the finding `skip` (with why), not `error`. */
export async function probeWithOperator<T>(ctx: ConnectionContext, body: () => Promise<T>): Promise<ProbeOutcome<T>> {
  let skipped: string | undefined;
  const outcome = await probe(ctx, async () => {
    try {
      return await body();
    } catch (error) {
      if (error instanceof StepSkipped) skipped = error.message;
      throw error;
    }
  });
  return skipped === undefined ? outcome : { kind: 'skipped', reason: skipped };
}

export interface PersonChange extends ObservedStep {
  record: OperatorStepRecord;
  /** The Appointment a person's booking became, found through the EHR's API. */
  appointmentId?: string;
}

export interface ChangeRequest {
  kind: 'block-slot' | 'free-slot' | 'book-slot' | 'cancel';
  slot: Slot;
  patientId?: string;
  appointmentId?: string;
  key?: string;
  /** Looks at the vendor while the person works (freshness trials). */
  vendorLook?: Look;
}

/**
 * Asks a person (or the script) for one change in the EHR. The ledger has it before it is asked; the EHR's API
 * is watched for it where it can show it (a Slot search for a block, an Appointment search for a booking).
 */
export async function personChange(ctx: ConnectionContext, request: ChangeRequest): Promise<PersonChange> {
  const { kind, slot } = request;
  const step = makeStep({
    kind,
    connection: ctx.key,
    ehrBaseUrl: ctx.connection.ehr.fhirBaseUrl,
    runId: ctx.runId,
    slot: { id: slot.id, start: slot.start, end: slot.end },
    schedule: slot.schedule?.reference ?? ctx.schedule,
    ...(request.patientId && { patient: `Patient/${request.patientId}` }),
    ...(request.key && { key: request.key }),
    ...(request.appointmentId && { appointment: request.appointmentId }),
  });
  const previous = { id: slot.id, previousStatus: 'free' };
  const seq =
    kind === 'cancel'
      ? undefined
      : await ctx.ledger.intend(
          kind === 'book-slot'
            ? { connection: ctx.key, target: 'ehr', action: 'book', resourceType: 'Appointment', identifier: `${BOOKING_IDENTIFIER_SYSTEM}|${request.key}`, slot: previous, ...(request.patientId && { patient: `Patient/${request.patientId}` }) }
            : { connection: ctx.key, target: 'ehr', action: kind, resourceType: 'Slot', id: slot.id, slot: kind === 'block-slot' ? previous : { id: slot.id, previousStatus: 'busy-unavailable' } },
        );
  const ehrLook = ehrLookFor(ctx, request);
  const observed = await performObserved(ctx.operator!, step, { ehr: ehrLook, vendor: request.vendorLook }, { signal: ctx.signal });
  let appointmentId = request.appointmentId;
  if (kind === 'book-slot' && observed.result.outcome === 'done' && request.patientId) {
    appointmentId = (await personBookingOn(ctx, slot, request.patientId).catch(() => undefined))?.id;
  }
  if (seq !== undefined) await ctx.ledger.done(seq, { status: observed.result.outcome === 'done' ? 200 : null, ...(appointmentId && { id: appointmentId }) });
  expectDone(kind, observed.result);
  if (ehrLook && !observed.ehrShowed) {
    throw new Error(`the ${kind} step was confirmed, but the EHR's API did not show it (Slot ${slot.id})`);
  }
  return { ...observed, record: stepRecord(step, observed.result), ...(appointmentId && { appointmentId }) };
}

/** What the EHR's API can show of a person's change, if anything. */
function ehrLookFor(ctx: ConnectionContext, request: ChangeRequest): Look | undefined {
  const { kind, slot, patientId } = request;
  if (kind === 'block-slot' || kind === 'free-slot') {
    if (slotsNeedAPerson(ctx)) return undefined; // no Slot search: a block cannot be seen through the API
    return async () => {
      const free = (await ehrFreeSlots(ctx, slotWindow(slot))).some((s) => s.id === slot.id);
      return free === (kind === 'free-slot') ? 'new' : 'old';
    };
  }
  if (!patientId || personBookingRoute(ctx) === undefined) return undefined;
  return async () => {
    const booked = (await personBookingOn(ctx, slot, patientId)) !== undefined;
    return booked === (kind === 'book-slot') ? 'new' : 'old';
  };
}

/** Whether the EHR's API can show a booking a person made (by the test patient and date, or by its slot). */
export function personBookingsVisible(ctx: ConnectionContext): boolean {
  return personBookingRoute(ctx) !== undefined;
}

/** A person's booking carries no run identifier: it is found by the test patient and date, or by its slot. */
function personBookingRoute(ctx: ConnectionContext): 'patient-date' | 'slot' | undefined {
  const cap = ctx.capability;
  if (!cap?.ok) return 'slot';
  const can = (param: string) => supports(cap, 'Appointment', 'search-type') && (cap.resources.Appointment?.searchParams.includes(param) ?? false);
  if (can('patient') && can('date')) return 'patient-date';
  return can('slot') ? 'slot' : undefined;
}

/** The active booking of `patientId` on `slot`, as the EHR's API shows it. */
export async function personBookingOn(ctx: ConnectionContext, slot: Slot, patientId: string): Promise<Appointment | undefined> {
  const route = personBookingRoute(ctx);
  if (!route) return undefined;
  const query = route === 'slot' ? { slot: `Slot/${slot.id}` } : { patient: `Patient/${patientId}`, date: slot.start.slice(0, 10) };
  const found = await ctx.ehr.searchAll<Appointment>('Appointment', query, { maxPages: 5 });
  return found.find(
    (a) =>
      ACTIVE_APPOINTMENT.has(a.status) &&
      a.slot?.some((r) => r.reference === `Slot/${slot.id}` || r.reference?.endsWith(`/Slot/${slot.id}`)) &&
      a.participant?.some((p) => p.actor?.reference === `Patient/${patientId}`),
  );
}
