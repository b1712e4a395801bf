// The vendor's FHIR R4 sandbox facade as a channel: `GET Slot?schedule=…&status=free`, `POST Appointment` and
// `POST Patient` with If-None-Exist, `GET Appointment?identifier=…` (the vendor contract in the README).
import type { Appointment, OperationOutcome, Patient } from '@medplum/fhirtypes';
import type { FhirClient } from '../http/fhir-client.js';
import { searchsetProblem } from '../http/searchset.js';
import type { FhirResponse } from '../http/types.js';
import type { Slot } from '../model/fhir.js';
import type { SlotWindow, VendorAbilities, VendorChannel, VendorLiveness } from './channel.js';
import { vendorOutcome, type VendorAnswer } from './outcome.js';

const API = { by: 'api' } as const;
export const FHIR_ABILITIES: VendorAbilities = { freeSlots: API, book: API, bookingKey: true, findBooking: API, registerPatient: API };

export class FhirVendorChannel implements VendorChannel {
  readonly kind = 'fhir';
  readonly can = FHIR_ABILITIES;

  constructor(private readonly client: FhirClient) {}

  get log() {
    return this.client.log;
  }

  async liveness(schedule?: string): Promise<VendorLiveness> {
    const query: Record<string, string> = { status: 'free', _count: '1' };
    if (schedule) query.schedule = schedule;
    const res = await this.client.request({ path: 'Slot', query });
    if (res.status === 401 || res.status === 403) return { ok: false, cause: 'auth', status: res.status, message: `the vendor refused the credentials (HTTP ${res.status})` };
    if (res.status >= 300) return { ok: false, cause: 'http', status: res.status, message: `the vendor's Slot search answered HTTP ${res.status}` };
    const problem = searchsetProblem(res.body);
    if (problem) return { ok: false, cause: 'not-searchset', status: res.status, message: `the vendor's Slot search answered ${problem}` };
    return { ok: true, status: res.status };
  }

  freeSlots(schedule: string, window: SlotWindow): Promise<Slot[]> {
    const query = { schedule, start: [`ge${window.start}`, `lt${window.end}`], _count: '200', status: 'free' };
    return this.client.searchAll<Slot>('Slot', query, { maxPages: 40 });
  }

  async book(appointment: Appointment, bookingIdentifier: string): Promise<VendorAnswer> {
    return answerOf(await this.client.create(appointment, { ifNoneExist: `identifier=${bookingIdentifier}` }));
  }

  async findBooking(bookingIdentifier: string): Promise<Appointment[]> {
    const found = await this.client.searchAll<Appointment>('Appointment', { identifier: bookingIdentifier }, { maxPages: 2 });
    return found.filter((r) => r.resourceType === 'Appointment');
  }

  async registerPatient(patient: Patient, matchIdentifier: string): Promise<VendorAnswer> {
    return answerOf(await this.client.create(patient, { ifNoneExist: `identifier=${matchIdentifier}` }));
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

function answerOf(res: FhirResponse): VendorAnswer {
  const body = typeof res.body === 'object' && res.body !== null ? (res.body as { resourceType?: unknown; id?: unknown }) : undefined;
  return {
    outcome: vendorOutcome(res.status),
    status: res.status,
    ...(body?.resourceType === 'OperationOutcome' && { operationOutcome: body as OperationOutcome }),
    ...(typeof body?.id === 'string' && body.resourceType !== 'OperationOutcome' && { id: body.id }),
  };
}
