// What a vendor wrote on the run's behalf without any run identifier: a person at its product gives a name and a
// time, not ehr-check's keys. Those records are still the run's, found through what the run itself created: a
// booking for the run's synthetic test patient on a slot the ledger names, and a chart under that patient's name
// ("Ehrcheck Test 4F2A", born 1990-01-01: unique to its run key) that the run did not create itself.
import type { FhirClient } from '../http/fhir-client.js';
import { ProbeError } from '../http/types.js';
import type { FoundRecord } from './attribution.js';
import { testPatientName } from './run-records.js';
import { BOOKING_IDENTIFIER_SYSTEM, PATIENT_IDENTIFIER_SYSTEM, type LedgerEntry } from './types.js';

interface Found {
  resourceType?: string;
  id?: string;
  status?: string;
  birthDate?: string;
  name?: Array<{ family?: string }>;
  identifier?: Array<{ system?: string; value?: string }>;
  slot?: Array<{ reference?: string }>;
  participant?: Array<{ actor?: { reference?: string } }>;
}

/** A search the EHR does not offer finds nothing of ours that way: not a leftover. */
async function search(ehr: FhirClient, type: string, query: Record<string, string>): Promise<Found[]> {
  try {
    return (await ehr.searchAll<Found>(type, query, { maxPages: 10 })).filter((r) => r.resourceType === type && r.id);
  } catch (error) {
    if (error instanceof ProbeError && [400, 404, 405].includes(error.details.status ?? 0)) return [];
    throw error;
  }
}

const slotId = (reference: string | undefined) => reference?.split('/').pop();

/** Records without a run identifier that belong to the run's writes, by the ledger identifier of the write. */
export async function findKeylessRecords(ehr: FhirClient, entries: readonly LedgerEntry[]): Promise<Map<string, FoundRecord[]>> {
  const found = new Map<string, FoundRecord[]>();
  const add = (identifier: string, record: Found) => {
    const list = found.get(identifier) ?? [];
    if (!list.some((r) => r.id === record.id)) list.push({ resourceType: record.resourceType!, id: record.id! });
    found.set(identifier, list);
  };
  const created = new Map<string, string>(); // Patient/{id} → its run key
  for (const e of entries) {
    if (e.target === 'ehr' && e.action === 'create-patient' && e.result?.id && e.identifier?.startsWith(`${PATIENT_IDENTIFIER_SYSTEM}|`)) {
      created.set(`Patient/${e.result.id}`, e.identifier.slice(PATIENT_IDENTIFIER_SYSTEM.length + 1));
    }
  }
  // Bookings through the vendor for one of the run's own patients, on the slot the ledger names, carrying no key.
  const bookings = entries.filter((e) => e.target === 'vendor' && e.action === 'book' && e.identifier && e.slot && e.patient && created.has(e.patient));
  const byPatient = new Map<string, Found[]>();
  for (const e of bookings) {
    if (!byPatient.has(e.patient!)) byPatient.set(e.patient!, await search(ehr, 'Appointment', { patient: e.patient! }));
    for (const a of byPatient.get(e.patient!)!) {
      const keyed = a.identifier?.some((i) => i.system === BOOKING_IDENTIFIER_SYSTEM);
      const onSlot = a.slot?.some((r) => slotId(r.reference) === e.slot!.id);
      const forPatient = a.participant?.some((p) => p.actor?.reference === e.patient);
      if (!keyed && onSlot && forPatient) add(e.identifier!, a);
    }
  }
  // Charts the vendor registered under a synthetic patient's name: every one but the run's own.
  const ours = new Set([...created.keys()].map((r) => r.slice('Patient/'.length)));
  for (const e of entries.filter((x) => x.target === 'vendor' && x.action === 'register-patient' && x.identifier?.startsWith(`${PATIENT_IDENTIFIER_SYSTEM}|`))) {
    const name = testPatientName(e.identifier!.slice(PATIENT_IDENTIFIER_SYSTEM.length + 1));
    for (const p of await search(ehr, 'Patient', { family: name.family, birthdate: name.birthDate })) {
      const same = p.birthDate === name.birthDate && p.name?.some((n) => n.family?.toUpperCase() === name.family);
      const identified = p.identifier?.some((i) => i.system === PATIENT_IDENTIFIER_SYSTEM);
      if (same && !identified && !ours.has(p.id!)) add(e.identifier!, p);
    }
  }
  return found;
}
