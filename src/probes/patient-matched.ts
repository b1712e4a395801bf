// Evidence for patient-matched: the vendor is asked to register a patient the EHR already holds, and the EHR is
// counted after. A synthetic test patient is registered under its own name; one of the EHR's own is never named
// (it carries the run's identifier so that a duplicate the vendor makes is found and removed by it).
import type { ConnectionContext } from '../context.js';
import { ehrPatientsByIdentifier, ehrPatientsNamed, testPatient } from '../ehr/patients.js';
import type { OperatorStepRecord } from '../operator/types.js';
import { runKey, runMeta, testPatientName } from '../safety/run-records.js';
import { PATIENT_IDENTIFIER_SYSTEM } from '../safety/types.js';
import { registerViaVendor } from '../vendor/requests.js';

export interface PatientMatchData {
  identifier: string;
  vendorStatus: number;
  ehrPatients: number;
  /** How the EHR's patients were counted: by the identifier, and (a person registering) by name and birth date too. */
  countedBy?: Array<'identifier' | 'name-and-birth-date'>;
  /** The steps a person took at the vendor's product (a vendor reached through a person). */
  vendorSteps?: OperatorStepRecord[];
}

export async function registerAgain(ctx: ConnectionContext): Promise<PatientMatchData> {
  const existing = await testPatient(ctx, 'existing-patient');
  const [system, value] = existing.identifier.split('|');
  // The EHR's own patient also gets a run identifier: a duplicate the vendor makes carries it and is cleaned
  // up by it, while the original, which lacks it, is never touched.
  const runIdentifier = existing.found ? { system: PATIENT_IDENTIFIER_SYSTEM, value: runKey(ctx, 'registration') } : undefined;
  const ledgered = runIdentifier ? `${runIdentifier.system}|${runIdentifier.value}` : existing.identifier;
  const name = existing.found ? { family: 'Testpatient', given: ['Ehrcheck'], birthDate: '1970-01-01' } : testPatientName(value!);
  const patient = {
    resourceType: 'Patient' as const,
    meta: runMeta(ctx.runId),
    identifier: [{ system, value }, ...(runIdentifier ? [runIdentifier] : [])],
    name: [{ family: name.family, given: name.given }],
    gender: 'unknown' as const,
    birthDate: name.birthDate,
  };
  const answer = await registerViaVendor(ctx, patient, existing.identifier, ledgered);
  const found = await ehrPatientsByIdentifier(ctx, existing.identifier);
  if (existing.found || ctx.vendor.can.registerPatient.by !== 'person') return { identifier: existing.identifier, vendorStatus: answer.status, ehrPatients: found.length };
  // A person registers the patient by name and birth date, and the product may make a chart without the
  // identifier: the synthetic patient's name is the run's own, so every record under it is one more chart.
  const named = await ehrPatientsNamed(ctx, testPatientName(value!));
  const ids = new Set([...found, ...named].map((p) => p.id));
  return { identifier: existing.identifier, vendorStatus: answer.status, ehrPatients: ids.size, countedBy: ['identifier', 'name-and-birth-date'] };
}
