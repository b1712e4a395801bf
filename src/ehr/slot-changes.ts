// Blocking and freeing a slot in the EHR, each confirmed by reading the EHR back. A block closes the slot as the
// EHR's staff would (`busy-unavailable`: `busy` means a booking holds it, and EHRs that derive status from
// bookings put a bare `busy` back to free). Ways are tried in order, as the EHR's capabilities allow: the Slot
// by update, then by patch, then an EHR-side Appointment on it, then a person at the EHR. The first way the EHR
// shows is the premise's way; none → PremiseError. Every write goes through the ledger first (docs/safety.md).
import { supports } from '../capability/reader.js';
import type { ChangeTiming, Observation } from '../freshness/lag.js';
import { monotonicNow } from '../timing.js';
import { outcomeText } from '../http/outcome.js';
import type { FhirResponse } from '../http/types.js';
import { personChange } from './person-steps.js';
import type { Look } from '../operator/observe.js';
import { personChangeTiming } from '../operator/timing.js';
import { NO_OPERATOR_REASON, StepSkipped, type OperatorStepRecord } from '../operator/types.js';
import { BOOKING_IDENTIFIER_SYSTEM } from '../safety/types.js';
import type { ConnectionContext } from '../context.js';
import { canReadSlots, readSlot, removeAppointment } from './ops.js';
import type { Slot } from '../model/fhir.js';
import { bookingRequest, runKey } from '../safety/run-records.js';
import { describeTries, ehrSlotState, PremiseError, stateText, type ChangeWay, type Premise, type PremiseTry, type ReadWay } from './premise.js';

/** FHIR's status for a slot closed by staff: what a block writes. */
export const CLOSED = 'busy-unavailable';

export interface SlotChange {
  premise: Premise;
  /** The way that held: the same way undoes it. */
  way: ChangeWay;
  /** The EHR-side Appointment that holds the slot, when that was the way. */
  appointmentId?: string;
  /** When the change that held was sent and answered; for a person, the span narrowed by the EHR's API. */
  timing: ChangeTiming;
  /** A person's steps, when one was asked. */
  steps: OperatorStepRecord[];
  /** What the vendor showed while a person worked (the caller's look). */
  vendor: Observation[];
}

export interface ChangeOptions {
  /** The run's test patient: needed for an EHR-side Appointment. */
  patientId?: string;
  /** Only these ways (in this order); default: every way the EHR's capabilities allow. */
  ways?: ChangeWay[];
  /** Start the chain at this way (the one that held last time: the EHR will not have changed its habits). */
  from?: ChangeWay;
  /** Looked at while a person works, so a vendor quicker than their confirmation is not missed. */
  vendorLook?: Look;
}

type Kind = 'block-slot' | 'free-slot';

interface Attempt {
  tried: PremiseTry;
  readBy?: ReadWay;
  timing?: ChangeTiming;
  appointmentId?: string;
  steps?: OperatorStepRecord[];
  vendor?: Observation[];
}

/** Makes a free slot unavailable in the EHR and confirms it there. */
export function blockSlot(ctx: ConnectionContext, slot: Slot, options: ChangeOptions = {}): Promise<SlotChange> {
  const all = [...slotWays(ctx), ...(options.patientId && can(ctx, 'Appointment', 'create') ? (['ehr-appointment'] as const) : []), ...personWay(ctx)];
  const ways = options.ways ?? (options.from && all.includes(options.from) ? all.slice(all.indexOf(options.from)) : all);
  return change(ctx, 'block-slot', slot, ways, options);
}

/** Frees a slot this run blocked (the same way first) and confirms the EHR shows it free again. */
export function freeSlot(ctx: ConnectionContext, slot: Slot, held?: Pick<SlotChange, 'way' | 'appointmentId'>, options: ChangeOptions = {}): Promise<SlotChange> {
  const first: ChangeWay[] = held?.way === 'ehr-appointment' ? (held.appointmentId ? ['remove-booking'] : []) : held ? [held.way] : [];
  const ways = options.ways ?? [...new Set<ChangeWay>([...first, ...slotWays(ctx), ...personWay(ctx)])];
  return change(ctx, 'free-slot', slot, ways, { ...options, ...(held?.appointmentId && { appointmentId: held.appointmentId }) });
}

function can(ctx: ConnectionContext, type: string, interaction: string): boolean {
  const cap = ctx.capability;
  return !cap?.ok || supports(cap, type, interaction);
}

function slotWays(ctx: ConnectionContext): ChangeWay[] {
  return [...(can(ctx, 'Slot', 'update') ? (['slot-update'] as const) : []), ...(can(ctx, 'Slot', 'patch') ? (['slot-patch'] as const) : [])];
}

function personWay(ctx: ConnectionContext): ChangeWay[] {
  return ctx.operator?.available ? ['operator'] : [];
}

async function change(ctx: ConnectionContext, kind: Kind, slot: Slot, ways: ChangeWay[], options: ChangeOptions & { appointmentId?: string }): Promise<SlotChange> {
  const tried: PremiseTry[] = [];
  for (const way of ways) {
    if (ctx.signal.aborted && way === 'operator') continue; // after SIGINT nobody is asked; the API still undoes
    const attempt = await attemptWay(ctx, kind, slot, way, options, ways.length === 1);
    tried.push(attempt.tried);
    if (!attempt.tried.held) continue;
    return {
      premise: { premise: kind, slot: slot.id, via: way, confirmed: true, ...(attempt.readBy && { readBy: attempt.readBy }), tried },
      way,
      ...(attempt.appointmentId && { appointmentId: attempt.appointmentId }),
      timing: attempt.timing!,
      steps: attempt.steps ?? [],
      vendor: attempt.vendor ?? [],
    };
  }
  const premise: Premise = { premise: kind, slot: slot.id, via: null, confirmed: false, tried };
  const what = kind === 'block-slot' ? `make Slot ${slot.id} unavailable` : `free Slot ${slot.id} again`;
  const how = tried.length ? describeTries(tried) : "the EHR's API offers no way to change it";
  const person = ways.includes('operator') ? '' : `; a person at the EHR could: ${ctx.operator?.unavailableReason ?? NO_OPERATOR_REASON}`;
  throw new PremiseError(premise, `could not ${what} in the EHR (${how})${person}`);
}

async function attemptWay(ctx: ConnectionContext, kind: Kind, slot: Slot, way: ChangeWay, options: ChangeOptions & { appointmentId?: string }, only: boolean): Promise<Attempt> {
  try {
    if (way === 'operator') return await byPerson(ctx, kind, slot, options.vendorLook);
    if (way === 'slot-update' || way === 'slot-patch') return await bySlotWrite(ctx, kind, slot, way);
    if (way === 'ehr-appointment') return await byEhrBooking(ctx, slot, options.patientId);
    return await byRemovingBooking(ctx, slot, options.appointmentId);
  } catch (error) {
    if (error instanceof StepSkipped) throw error; // a person passed: the finding is skipped, with why
    if (only && way === 'operator') throw error; // the one way there is: the finding says what went wrong, in the step's words
    return { tried: { via: way, status: null, held: false, note: error instanceof Error ? error.message : String(error) } };
  }
}

/** Reads the slot back: the change held when the EHR shows it closed (a block) or free (a free). */
async function readBack(ctx: ConnectionContext, kind: Kind, slot: Slot): Promise<{ held: boolean; note?: string; readBy?: ReadWay }> {
  const state = await ehrSlotState(ctx, slot);
  const held = state !== undefined && (kind === 'block-slot' ? !state.free : state.free);
  return { held, ...(!held && { note: stateText(state) }), ...(state && { readBy: state.readBy }) };
}

async function bySlotWrite(ctx: ConnectionContext, kind: Kind, slot: Slot, way: 'slot-update' | 'slot-patch'): Promise<Attempt> {
  // An update sends the whole Slot back: the current one when freeing (the block changed its version).
  const current = kind === 'free-slot' && way === 'slot-update' && canReadSlots(ctx) ? await readSlot(ctx, slot.id) : slot;
  const seq = await ctx.ledger.intend({ connection: ctx.key, target: 'ehr', action: kind, resourceType: 'Slot', id: slot.id, slot: { id: slot.id, previousStatus: current.status } });
  const sentAt = monotonicNow();
  const res = await writeSlotStatus(ctx, current, kind === 'block-slot' ? CLOSED : 'free', way);
  const timing = { sentAt, answeredAt: monotonicNow() };
  await ctx.ledger.done(seq, { status: res.status, id: slot.id });
  if (res.status >= 300) return { tried: { via: way, status: res.status, held: false, ...refusal(res) } };
  const back = await readBack(ctx, kind, slot);
  return { tried: { via: way, status: res.status, held: back.held, ...(back.note && { note: back.note }) }, readBy: back.readBy, timing };
}

async function byEhrBooking(ctx: ConnectionContext, slot: Slot, patientId: string | undefined): Promise<Attempt> {
  if (!patientId) return { tried: { via: 'ehr-appointment', status: null, held: false, note: 'no test patient to book for' } };
  const key = runKey(ctx, 'ehr-block');
  const identifier = `${BOOKING_IDENTIFIER_SYSTEM}|${key}`;
  const seq = await ctx.ledger.intend({ connection: ctx.key, target: 'ehr', action: 'book', resourceType: 'Appointment', identifier, slot: { id: slot.id, previousStatus: slot.status }, patient: `Patient/${patientId}` });
  const sentAt = monotonicNow();
  const res = await ctx.ehr.create(bookingRequest(ctx, slot, patientId, key));
  const timing = { sentAt, answeredAt: monotonicNow() };
  const id = res.status < 300 && typeof res.body?.id === 'string' ? (res.body.id as string) : undefined;
  await ctx.ledger.done(seq, { status: res.status, id });
  if (res.status >= 300) return { tried: { via: 'ehr-appointment', status: res.status, held: false, ...refusal(res) } };
  const back = await readBack(ctx, 'block-slot', slot);
  if (!back.held && id) await removeAppointment(ctx, id).catch(() => undefined); // a booking that holds nothing is taken back
  return { tried: { via: 'ehr-appointment', status: res.status, held: back.held, ...(back.note && { note: back.note }) }, readBy: back.readBy, timing, ...(id && { appointmentId: id }) };
}

async function byRemovingBooking(ctx: ConnectionContext, slot: Slot, appointmentId: string | undefined): Promise<Attempt> {
  if (!appointmentId) return { tried: { via: 'remove-booking', status: null, held: false, note: 'no booking of the run holds the slot' } };
  const sentAt = monotonicNow();
  const res = await removeAppointment(ctx, appointmentId);
  const timing = { sentAt, answeredAt: monotonicNow() };
  if (res.status >= 300 && res.status !== 404 && res.status !== 410) return { tried: { via: 'remove-booking', status: res.status, held: false, ...refusal(res) } };
  const back = await readBack(ctx, 'free-slot', slot);
  return { tried: { via: 'remove-booking', status: res.status, held: back.held, ...(back.note && { note: back.note }) }, readBy: back.readBy, timing };
}

/** A person makes the change in the EHR's screens; the EHR's API is watched for it where it can show it. */
async function byPerson(ctx: ConnectionContext, kind: Kind, slot: Slot, vendorLook: Look | undefined): Promise<Attempt> {
  const made = await personChange(ctx, { kind, slot, ...(vendorLook && { vendorLook }) });
  const confirmedAt = made.result.confirmedAtMs ?? made.result.askedAtMs;
  return {
    tried: { via: 'operator', status: null, held: true },
    readBy: personPremise(kind, slot, made.ehr).readBy!,
    timing: personChangeTiming(made.result.askedAtMs, confirmedAt, made.ehr),
    steps: [made.record],
    vendor: made.vendor,
  };
}

/** Writes a Slot's status by update (the whole resource) or JSON patch; `ifMatch` guards a race's write. */
export async function writeSlotStatus(ctx: ConnectionContext, slot: Slot, status: string, way: 'slot-update' | 'slot-patch', ifMatch?: string): Promise<FhirResponse> {
  if (way === 'slot-update') return ctx.ehr.update({ ...slot, status, meta: undefined }, ifMatch ? { ifMatch } : {});
  const patch = [{ op: 'replace', path: '/status', value: status }];
  const headers: Record<string, string> = { 'content-type': 'application/json-patch+json', ...(ifMatch && { 'if-match': ifMatch }) };
  return ctx.ehr.request({ method: 'PATCH', path: `Slot/${encodeURIComponent(slot.id)}`, body: patch, headers });
}

function refusal(res: FhirResponse): { note?: string } {
  const text = outcomeText(res.body);
  return text ? { note: text } : {};
}

/** A person's change as a premise (operator trials): confirmed by the EHR's API where it looked, else by the person. */
export function personPremise(kind: 'block-slot' | 'free-slot' | 'book-slot' | 'cancel', slot: Slot, ehr: readonly Observation[]): Premise {
  const premise = kind === 'book-slot' ? 'ehr-booking' : kind === 'block-slot' ? 'block-slot' : 'free-slot';
  const api: ReadWay = kind === 'block-slot' || kind === 'free-slot' ? 'slot-search' : 'appointment-search';
  const readBy = ehr.some((o) => o.shows === 'new') ? api : 'person';
  return { premise, slot: slot.id, via: 'operator', confirmed: true, readBy, tried: [{ via: 'operator', status: null, held: true }] };
}

/** A free that no way confirmed: its premise (every way tried), and a person's failed step as evidence. */
export function notFreed(ctx: ConnectionContext, slot: Slot, blocked: SlotChange, error: unknown): Pick<SlotChange, 'premise' | 'steps'> {
  const message = error instanceof Error ? error.message : String(error);
  const premise: Premise = error instanceof PremiseError ? error.premise : { premise: 'free-slot', slot: slot.id, via: null, confirmed: false, tried: [{ via: blocked.way, status: null, held: false, note: message }] };
  if (blocked.way !== 'operator') return { premise, steps: [] };
  const at = new Date().toISOString();
  return { premise, steps: [{ kind: 'free-slot', by: ctx.operator?.kind ?? 'none', outcome: 'failed', askedAt: at, slot: slot.id, message }] };
}
