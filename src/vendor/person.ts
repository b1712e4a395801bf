// A vendor reached through a person using its product (phone, chat, SMS, web): every question becomes a step put to
// the person at the terminal, or to the operator script (src/operator/). The tool makes no request to the vendor,
// so its answers are what the person reports; the EHR still decides every verdict. The person is only ever told
// the name of the run's own synthetic test patient, never that of a patient the EHR already held.
import type { Appointment, Patient } from '@medplum/fhirtypes';
import { createRequestLog } from '../http/request-log.js';
import type { Slot } from '../model/fhir.js';
import type { PersonVendorEndpoint } from '../model/plan.js';
import { nextHalfDay, offsetMinutes, offsetOf } from '../operator/local-time.js';
import { makeStep } from '../operator/instructions.js';
import { ReadingError } from '../operator/reading.js';
import { NO_VENDOR_PERSON_REASON, StepFailed, StepSkipped, stepRecord, type Operator, type OperatorResult, type OperatorStep, type OperatorStepRecord, type VendorStepKind } from '../operator/types.js';
import { readVendorTimes } from '../operator/vendor-times.js';
import { testPatientName, type TestPatientName } from '../safety/run-records.js';
import { PATIENT_IDENTIFIER_SYSTEM } from '../safety/types.js';
import { monotonicNow } from '../timing.js';
import type { SlotWindow, VendorAbilities, VendorChannel, VendorLiveness } from './channel.js';
import type { VendorAnswer } from './outcome.js';

export const PERSON_ABILITIES: VendorAbilities = {
  freeSlots: { by: 'person' },
  book: { by: 'person' },
  bookingKey: false,
  findBooking: { by: 'none', reason: "a person's product keeps no record the tool can read" },
  registerPatient: { by: 'person' },
};

/**
 * What a person's report becomes: a yes is `confirmed`, a no `refused`. The statuses stand in for the HTTP answer
 * the judges also quote (201 created, 409 refused); `personSaid` keeps that it was a person's report.
 */
const SAID_YES = { outcome: 'confirmed', status: 201 } as const;
const SAID_NO = { outcome: 'refused', status: 409 } as const;

export interface PersonChannelOptions {
  operator?: Operator;
  runId: string;
  connection: string;
  /** The connection's EHR base: an operator script's HTTP step may call its host. */
  ehrBaseUrl: string;
  /** The run's synthetic test patients (`Patient/{id}` → name): the only ones a person may be told about. */
  testPatients: ReadonlyMap<string, TestPatientName>;
  /** The run's interruption: a question put to the person is withdrawn. */
  signal?: AbortSignal;
}

export class PersonVendorChannel implements VendorChannel {
  readonly kind = 'person';
  readonly can = PERSON_ABILITIES;
  /** No request is made to the vendor: a person is. */
  readonly log = createRequestLog();
  private readonly steps: Array<{ at: number; record: OperatorStepRecord }> = [];

  constructor(
    private readonly endpoint: PersonVendorEndpoint,
    private readonly options: PersonChannelOptions,
  ) {}

  async liveness(): Promise<VendorLiveness> {
    // Asking a person to call just to see that the line answers would cost a step: the steps themselves tell.
    const detail = { channel: this.endpoint.channel.type, askedBy: this.options.operator?.kind ?? 'none' };
    return { ok: true, message: `the vendor is reached through a person (${this.endpoint.channel.type}); the tool makes no request to it`, detail };
  }

  /** A person asks about one half-day at a time ("Tue morning"): the first one inside `window`. */
  askableWindow(window: SlotWindow): SlotWindow {
    const half = nextHalfDay(window.start, window.end, offsetOf(window.start));
    return half ? { start: half.start, end: half.end } : window;
  }

  /**
   * The person asks about the half-day `window` starts in (or, for a wider window, the first whole one in it: the
   * probes narrow theirs with `askableWindow`), and the times heard inside `window` are its free slots.
   */
  async freeSlots(schedule: string, window: SlotWindow): Promise<Slot[]> {
    const utcOffset = offsetOf(window.start);
    const asked = halfDayOf(window, utcOffset);
    const step = this.step('vendor-read-free-slots', { schedule, window: asked, utcOffset });
    const result = await this.perform(step);
    try {
      const [from, until] = [Date.parse(window.start), Date.parse(window.end)];
      const heard = readVendorTimes(result.reading, asked, utcOffset).filter((t) => Date.parse(t.start) >= from && Date.parse(t.start) < until);
      // The person heard start times only: the slot's end is left out, and it is matched to the EHR's by start.
      return heard.map((t) => ({ resourceType: 'Slot', id: `heard-${t.start}`, status: 'free', start: t.start, schedule: { reference: schedule } }) as unknown as Slot);
    } catch (error) {
      throw new StepFailed(`the free times the person read could not be used: ${error instanceof ReadingError ? error.message : String(error)}`);
    }
  }

  async book(appointment: Appointment, _bookingIdentifier: string): Promise<VendorAnswer> {
    const reference = appointment.participant?.map((p) => p.actor?.reference).find((r) => r?.startsWith('Patient/'));
    const name = reference ? this.options.testPatients.get(reference) : undefined;
    if (!name) throw new StepSkipped(`a person is only told the name of the run's synthetic test patient, and ${reference ?? 'this booking'} is not one (the EHR's API created none)`);
    const slotId = appointment.slot?.[0]?.reference?.split('/').pop() ?? '';
    const schedule = appointment.participant?.map((p) => p.actor?.reference).find((r) => r?.startsWith('Schedule/'));
    const step = this.step('vendor-book', {
      slot: { id: slotId, start: appointment.start, end: appointment.end },
      ...(schedule && { schedule }),
      person: { name: name.text, birthDate: name.birthDate },
      utcOffset: offsetOf(appointment.start),
    });
    return answerOf(await this.perform(step));
  }

  async findBooking(): Promise<Appointment[]> {
    return [];
  }

  async registerPatient(_patient: Patient, matchIdentifier: string): Promise<VendorAnswer> {
    const [system, ...rest] = matchIdentifier.split('|');
    const name = system === PATIENT_IDENTIFIER_SYSTEM ? testPatientName(rest.join('|')) : undefined;
    const known = name && [...this.options.testPatients.values()].some((n) => n.text === name.text);
    if (!name || !known) throw new StepSkipped("a person is only told the name of the run's synthetic test patient, and the patient to register again is one the EHR already held");
    const step = this.step('vendor-register-patient', { person: { name: name.text, birthDate: name.birthDate } });
    return answerOf(await this.perform(step));
  }

  personSteps(mark: number): OperatorStepRecord[] {
    return this.steps.filter((s) => s.at >= mark).map((s) => s.record);
  }

  async close(): Promise<void> {}

  private step(kind: VendorStepKind, facts: Partial<OperatorStep>): OperatorStep {
    const { connection, runId, ehrBaseUrl } = this.options;
    const practitioner = this.endpoint.practitioner;
    return makeStep({ kind, connection, runId, ehrBaseUrl, vendor: { ...this.endpoint.channel }, ...(practitioner && { practitioner }), ...facts });
  }

  /** Puts the step to the person; a skipped step skips the finding, a failed one makes it an error. */
  private async perform(step: OperatorStep): Promise<OperatorResult> {
    const operator = this.options.operator;
    if (!operator?.available) throw new StepSkipped(`${operator?.unavailableReason ?? NO_VENDOR_PERSON_REASON}`);
    const at = monotonicNow();
    const result = await operator.perform(step, this.options.signal);
    this.steps.push({ at, record: stepRecord(step, result) });
    if (result.outcome === 'skipped') throw new StepSkipped(`the ${step.kind} step was not done: ${result.message ?? 'skipped'}`);
    if (result.outcome === 'failed') throw new StepFailed(result.message ?? `the ${step.kind} step failed`);
    return result;
  }
}

/** The half-day a person is asked about for `window`: the one it starts in, or the first whole one of a wider window. */
function halfDayOf(window: SlotWindow, offset: string): SlotWindow {
  const halfDay = 12 * 3_600_000;
  if (Date.parse(window.end) - Date.parse(window.start) > halfDay) return nextHalfDay(window.start, window.end, offset) ?? window;
  const shift = offsetMinutes(offset) * 60_000;
  const start = Math.floor((Date.parse(window.start) + shift) / halfDay) * halfDay - shift;
  return { start: new Date(start).toISOString(), end: new Date(start + halfDay).toISOString() };
}

function answerOf(result: OperatorResult): VendorAnswer {
  return result.vendorSaidYes === false ? { ...SAID_NO } : { ...SAID_YES };
}
