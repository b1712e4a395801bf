// A vendor's own REST API as a channel, described by its mapping file (docs/vendor-kinds/http.md). A booking the
// vendor accepts as pending is `queued`; the adapter then follows the vendor's own record of it (status polls or
// webhook events), while the probes time the booking to the moment the EHR holds it.
import type { Appointment, OperationOutcome, Patient } from '@medplum/fhirtypes';
import type { JsonAnswer, JsonClient } from '../../http/json-client.js';
import { ProbeError } from '../../http/types.js';
import type { Slot } from '../../model/fhir.js';
import type { SlotWindow, VendorAbilities, VendorChannel, VendorLiveness } from '../channel.js';
import { vendorOutcome, type VendorAnswer } from '../outcome.js';
import { FollowUps, WebhookListener } from './follow-up.js';
import type { LoadedMapping, VendorMapping } from './mapping.js';
import { dateOf, OperationCaller } from './operations.js';
import { AnswerReaders, asList, asState, asText, type BookingState } from './readers.js';
import type { TemplateValues } from './template.js';

const API = { by: 'api' } as const;
const none = (op: string) => ({ by: 'none', reason: `the mapping gives no \`${op}\` operation` }) as const;

/** What a channel over this mapping can do: each operation the mapping gives. */
export function httpAbilities({ operations: ops, idempotencyKeyHeader }: VendorMapping): VendorAbilities {
  return {
    freeSlots: ops.freeSlots ? API : none('freeSlots'),
    book: ops.book ? API : none('book'),
    bookingKey: Boolean(idempotencyKeyHeader),
    findBooking: ops.findBooking || ops.bookingStatus || ops.webhook ? API : none('findBooking'),
    registerPatient: ops.registerPatient ? API : none('registerPatient'),
  };
}

const APPOINTMENT_STATUS: Record<BookingState, Appointment['status']> = { pending: 'pending', complete: 'booked', failed: 'cancelled' };

export class HttpVendorChannel implements VendorChannel {
  readonly kind = 'http';
  readonly can: VendorAbilities;
  private readonly mapping: VendorMapping;
  private readonly readers: AnswerReaders;
  private readonly followUps = new FollowUps();
  private readonly webhook?: WebhookListener;
  private webhookReady?: Promise<void>;
  private webhookId?: string;

  constructor(
    private readonly client: JsonClient,
    loaded: LoadedMapping,
    private readonly caller: OperationCaller,
  ) {
    this.mapping = loaded.mapping;
    this.can = httpAbilities(this.mapping);
    this.readers = new AnswerReaders(loaded.file);
    const event = this.mapping.operations.webhook?.event;
    if (event) this.webhook = new WebhookListener(async (body) => this.onEvent(event, body));
  }

  get log() {
    return this.client.log;
  }

  async liveness(schedule?: string): Promise<VendorLiveness> {
    if (!this.mapping.operations.freeSlots) return { ok: true, detail: { read: 'nothing: the mapping gives no `freeSlots` operation' } };
    // A failure is a ProbeError, which connection-live turns into its cause (auth, timeout, not JSON, …).
    const now = Date.now();
    const slots = await this.freeSlots(schedule ?? '', { start: new Date(now).toISOString(), end: new Date(now + 86_400_000).toISOString() });
    return { ok: true, status: 200, detail: { slotsRead: slots.length } };
  }

  async freeSlots(schedule: string, window: SlotWindow): Promise<Slot[]> {
    const op = this.operation('freeSlots');
    const id = schedule.replace(/^Schedule\//, '');
    const values = { schedule: id, scheduleRef: `Schedule/${id}`, window: { ...window, startDate: dateOf(window.start), endDate: dateOf(window.end) } };
    const answer = await this.success('/operations/freeSlots', await this.caller.call('/operations/freeSlots/request', op.request, values));
    const items = asList(await this.readers.read('/operations/freeSlots/answer/slots', op.answer!.slots!, answer));
    const [from, to] = [Date.parse(window.start), Date.parse(window.end)];
    const slots = items.map((item, i): Slot => {
      const s = (item ?? {}) as Record<string, unknown>;
      const start = asText(s.start);
      const end = asText(s.end);
      if (!start || !end || Number.isNaN(Date.parse(start)) || Number.isNaN(Date.parse(end))) {
        throw this.readers.problem('/operations/freeSlots/answer/slots', `gave slot ${i} without a start and end instant`);
      }
      const slotId = asText(s.foreignId) ?? asText(s.id) ?? `vendor-${start}`;
      return { resourceType: 'Slot', id: slotId, schedule: { reference: `Schedule/${id}` }, status: 'free', start, end };
    });
    // An API asked by the day answers whole days: the window is what was asked.
    return slots.filter((s) => Date.parse(s.start!) >= from && Date.parse(s.start!) < to);
  }

  async book(appointment: Appointment, bookingIdentifier: string): Promise<VendorAnswer> {
    const op = this.operation('book');
    const key = keyOf(bookingIdentifier);
    const slotRef = appointment.slot?.[0]?.reference ?? '';
    const refs = (appointment.participant ?? []).map((p) => p.actor?.reference ?? '');
    const schedule = refs.find((r) => r.startsWith('Schedule/'))?.slice('Schedule/'.length);
    const values: TemplateValues = {
      key,
      slot: { id: slotRef.replace(/^.*Slot\//, ''), start: appointment.start, end: appointment.end },
      patient: { id: refs.find((r) => r.startsWith('Patient/'))?.slice('Patient/'.length) },
      ...(schedule && { schedule, scheduleRef: `Schedule/${schedule}` }),
    };
    await this.listenForEvents();
    const header = this.mapping.idempotencyKeyHeader;
    const answer = await this.caller.call('/operations/book/request', op.request, values, header ? { [header]: key } : {});
    if (answer.status < 200 || answer.status >= 300) return refusal(answer);
    const read = (name: 'id' | 'accepted' | 'state') => (op.answer?.[name] ? this.readers.read(`/operations/book/answer/${name}`, op.answer[name]!, answer) : undefined);
    const [id, taken, stateValue] = [asText(await read('id')), await read('accepted'), await read('state')];
    const state = op.answer?.state ? asState(stateValue) : 'complete';
    if (op.answer?.state && !state) throw this.readers.problem('/operations/book/answer/state', `gave ${JSON.stringify(stateValue)}, not "pending", "complete" or "failed"`, answer.status);
    const outcome = taken === false || state === 'failed' ? 'refused' : state === 'pending' ? 'queued' : 'confirmed';
    if (id && outcome !== 'refused') this.follow(key, id, state!);
    return { outcome, status: answer.status, ...(id && { id }) };
  }

  async findBooking(bookingIdentifier: string): Promise<Appointment[]> {
    const key = keyOf(bookingIdentifier);
    const op = this.mapping.operations.findBooking;
    if (!op) {
      const tracked = this.followUps.record(key);
      return tracked ? [asAppointment(bookingIdentifier, tracked.vendorId, tracked.state)] : [];
    }
    const answer = await this.success('/operations/findBooking', await this.caller.call('/operations/findBooking/request', op.request, { key }));
    const items = asList(await this.readers.read('/operations/findBooking/answer/bookings', op.answer!.bookings!, answer));
    return items.map((item) => {
      const b = (item ?? {}) as Record<string, unknown>;
      const id = asText(b.id);
      return asAppointment(bookingIdentifier, id, asState(b.state) ?? (id ? this.followUps.record(key)?.state : undefined) ?? 'complete');
    });
  }

  async registerPatient(patient: Patient, matchIdentifier: string): Promise<VendorAnswer> {
    const op = this.operation('registerPatient');
    const [system, value] = splitIdentifier(matchIdentifier);
    const name = patient.name?.[0];
    const values: TemplateValues = {
      patient: {
        family: name?.family,
        given: name?.given?.join(' '),
        birthDate: patient.birthDate,
        gender: patient.gender,
        identifier: { system, value },
        identifiers: patient.identifier ?? [],
      },
    };
    const answer = await this.caller.call('/operations/registerPatient/request', op.request, values);
    if (answer.status < 200 || answer.status >= 300) return refusal(answer);
    const id = op.answer?.id ? asText(await this.readers.read('/operations/registerPatient/answer/id', op.answer.id, answer)) : undefined;
    return { outcome: vendorOutcome(answer.status), status: answer.status, ...(id && { id }) };
  }

  async close(): Promise<void> {
    this.followUps.close();
    const unregister = this.mapping.operations.webhook?.unregister;
    if (unregister && this.webhookReady) {
      await this.caller.call('/operations/webhook/unregister/request', unregister.request, { webhook: { url: this.webhook?.url, id: this.webhookId } }).catch(() => undefined);
    }
    await this.webhook?.close();
    await this.client.close();
  }

  private operation<K extends 'freeSlots' | 'book' | 'registerPatient'>(name: K): NonNullable<VendorMapping['operations'][K]> {
    const op = this.mapping.operations[name];
    if (!op) throw new ProbeError('config', `the mapping gives no \`${name}\` operation`);
    return op as NonNullable<VendorMapping['operations'][K]>;
  }

  /** A read must succeed: any other status is a ProbeError with the vendor's own words, when it gave some. */
  private async success(field: string, answer: JsonAnswer): Promise<JsonAnswer> {
    if (answer.status >= 200 && answer.status < 300) return answer;
    throw new ProbeError('http', `the vendor answered HTTP ${answer.status} to ${field.slice('/operations/'.length)}${messageOf(answer) ? `: ${messageOf(answer)}` : ''}`, { status: answer.status });
  }

  /** Registers the run's webhook listener with the vendor once, before the first booking. */
  private listenForEvents(): Promise<void> {
    const register = this.mapping.operations.webhook?.register;
    if (!this.webhook) return Promise.resolve();
    this.webhookReady ??= (async () => {
      const url = await this.webhook!.open();
      if (!register) return;
      const answer = await this.success('/operations/webhook/register', await this.caller.call('/operations/webhook/register/request', register.request, { webhook: { url } }));
      if (register.answer?.id) this.webhookId = asText(await this.readers.read('/operations/webhook/register/answer/id', register.answer.id, answer));
    })();
    return this.webhookReady;
  }

  private async onEvent(event: Record<'id' | 'state', string>, body: unknown): Promise<void> {
    const answer = { body, status: 200, headers: {} };
    const id = asText(await this.readers.read('/operations/webhook/event/id', event.id, answer));
    const state = asState(await this.readers.read('/operations/webhook/event/state', event.state, answer));
    if (id && state) this.followUps.update(id, state);
  }

  private follow(key: string, vendorId: string, state: BookingState): void {
    const tracked = this.followUps.track(key, vendorId, state);
    const status = this.mapping.operations.bookingStatus;
    if (tracked.state !== 'pending' || !status) return;
    this.followUps.poll(tracked, (status.intervalSeconds ?? 0.5) * 1000, async () => {
      const answer = await this.success('/operations/bookingStatus', await this.caller.call('/operations/bookingStatus/request', status.request, { key, booking: { id: vendorId } }));
      const foreignId = status.answer?.foreignId ? asText(await this.readers.read('/operations/bookingStatus/answer/foreignId', status.answer.foreignId, answer)) : undefined;
      return { state: asState(await this.readers.read('/operations/bookingStatus/answer/state', status.answer!.state!, answer)), ...(foreignId && { foreignId }) };
    });
  }
}

const keyOf = (identifier: string): string => splitIdentifier(identifier)[1];

function splitIdentifier(identifier: string): [string, string] {
  const at = identifier.indexOf('|');
  return at === -1 ? ['', identifier] : [identifier.slice(0, at), identifier.slice(at + 1)];
}

function asAppointment(identifier: string, id: string | undefined, state: BookingState): Appointment {
  const [system, value] = splitIdentifier(identifier);
  return { resourceType: 'Appointment', ...(id && { id }), status: APPOINTMENT_STATUS[state], participant: [], identifier: [{ system, value }] };
}

function messageOf(answer: JsonAnswer): string | undefined {
  const body = answer.body as { error?: unknown; message?: unknown; description?: unknown } | undefined;
  const text = [body?.message, body?.error, body?.description].find((v) => typeof v === 'string' && v.trim() !== '') as string | undefined;
  return text?.slice(0, 200);
}

/** A refusal or failure, with the vendor's words as an OperationOutcome the findings can quote. */
function refusal(answer: JsonAnswer): VendorAnswer {
  const text = messageOf(answer);
  const operationOutcome: OperationOutcome | undefined = text ? { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing', diagnostics: text }] } : undefined;
  return { outcome: vendorOutcome(answer.status), status: answer.status, ...(operationOutcome && { operationOutcome }) };
}
