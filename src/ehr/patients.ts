// The run's patients in the EHR: a plainly synthetic test patient where the EHR's API creates patients, else
// one of the EHR's own (it is a sandbox), and how the EHR is searched for a patient's records.
import { searchable, supports } from '../capability/reader.js';
import { PATIENT_IDENTIFIER_SYSTEM } from '../safety/types.js';
import type { ConnectionContext } from '../context.js';
import { runKey, runMeta, testPatientName, type TestPatientName } from '../safety/run-records.js';
import { PremiseError, readPremise, type Premise, type PremiseTry } from './premise.js';
import { keepMatching } from './search-match.js';

export interface TestPatient {
  id: string;
  identifier: string; // system|value
  /** One of the EHR's own patients (the EHR's API creates none): never the run's to remove. */
  found?: boolean;
}

/** A plainly synthetic Patient in the EHR, tagged to the run. */
export async function createTestPatient(ctx: ConnectionContext, label: string): Promise<TestPatient> {
  const value = runKey(ctx, label);
  const identifier = `${PATIENT_IDENTIFIER_SYSTEM}|${value}`;
  // A name of its own ("Ehrcheck Test 4F2A"): a person at the vendor's product can be told it, and what a vendor
  // registers under it (without any identifier) is still found as this run's.
  const name = testPatientName(value);
  const patient = {
    resourceType: 'Patient',
    meta: runMeta(ctx.runId),
    identifier: [{ system: PATIENT_IDENTIFIER_SYSTEM, value }],
    name: [{ family: name.family, given: name.given, text: name.text }],
    gender: 'unknown',
    birthDate: name.birthDate,
  };
  const seq = await ctx.ledger.intend({ connection: ctx.key, target: 'ehr', action: 'create-patient', resourceType: 'Patient', identifier });
  // Conditional create where the EHR offers it (a retried create cannot duplicate); a plain create elsewhere.
  const conditional = ctx.capability?.resources.Patient?.conditionalCreate ?? true;
  const res = await ctx.ehr.create<{ id?: string }>(patient as { id?: string }, conditional ? { ifNoneExist: `identifier=${identifier}` } : {});
  await ctx.ledger.done(seq, { status: res.status, id: res.body?.id });
  if (res.status >= 300 || !res.body?.id) throw new Error(`the EHR refused to create a test patient (HTTP ${res.status})`);
  ctx.keys.testPatients.set(`Patient/${res.body.id}`, name);
  return { id: res.body.id, identifier };
}

/**
 * Patients the EHR holds with an identifier (system|value). An EHR that cannot search Patient by identifier is
 * searched by the test patient's name and birth date, keeping the records that carry the identifier.
 */
export async function ehrPatientsByIdentifier(ctx: ConnectionContext, identifier: string): Promise<Array<{ id: string }>> {
  const cap = ctx.capability;
  if (!cap?.ok || searchable(cap, 'Patient', 'identifier')) {
    return keepMatching('Patient', await ctx.ehr.searchAll<{ id: string }>('Patient', { identifier }, { maxPages: 5 }), { identifier });
  }
  const found = await ehrPatientsNamed(ctx, testPatientName(identifier.split('|').slice(1).join('|')));
  return found.filter((p) => p.identifier?.some((i) => `${i.system}|${i.value}` === identifier));
}

type FoundPatient = { id: string; identifier?: Array<{ system?: string; value?: string }> };

/** Patients the EHR holds under a synthetic patient's name and birth date (a vendor may register one without any identifier). */
export async function ehrPatientsNamed(ctx: ConnectionContext, name: TestPatientName): Promise<FoundPatient[]> {
  const cap = ctx.capability;
  const param = !cap?.ok || searchable(cap, 'Patient', 'family') ? 'family' : 'name';
  const found = await ctx.ehr.searchAll<FoundPatient & { resourceType?: string; birthDate?: string; name?: Array<{ family?: string }> }>('Patient', { [param]: name.family, birthdate: name.birthDate }, { maxPages: 5 });
  // String search matches prefixes: keep the exact family and birth date only.
  return found.filter((p) => p.resourceType === 'Patient' && p.birthDate === name.birthDate && p.name?.some((n) => n.family?.toUpperCase() === name.family));
}

/**
 * A patient for the run to book for (or for the vendor to register again): a tagged test patient where the EHR's
 * API creates and deletes patients, else one of the EHR's own (synthetic: it is a sandbox) found by search.
 */
export async function testPatient(ctx: ConnectionContext, label: string): Promise<TestPatient> {
  const cap = ctx.capability;
  // Create only where the run can also remove what it created (docs/safety.md): a test patient the EHR's API cannot
  // delete would outlive the run, so such an EHR lends one of its own.
  if (!cap?.ok || (supports(cap, 'Patient', 'create') && supports(cap, 'Patient', 'delete'))) return createTestPatient(ctx, label);
  const found = await ctx.ehr.searchAll<{ id?: string; identifier?: Array<{ system?: string; value?: string }> }>('Patient', { _count: '20' }, { maxPages: 1 });
  for (const patient of found) {
    const id = patient.identifier?.find((i) => i.system && i.value);
    if (patient.id && id) return { id: patient.id, identifier: `${id.system}|${id.value}`, found: true };
  }
  throw new Error('the EHR offers no Patient create, and no patient with an identifier was found to register again');
}

/**
 * The test patient, confirmed in the EHR: a created one is read back (an EHR may answer a create it does not
 * keep, and a booking for a patient the EHR lacks proves nothing about the vendor); a found one was just read.
 */
export async function confirmedTestPatient(ctx: ConnectionContext, label: string): Promise<{ patient: TestPatient; premise: Premise }> {
  const patient = await testPatient(ctx, label);
  if (patient.found) return { patient, premise: readPremise('patient', 'patient-search') };
  const cap = ctx.capability;
  const tried: PremiseTry[] = [];
  if (!cap?.ok || supports(cap, 'Patient', 'read')) {
    const res = await ctx.ehr.request<{ resourceType?: string; id?: string }>({ method: 'GET', path: `Patient/${encodeURIComponent(patient.id)}` });
    if (res.status === 200 && res.body?.resourceType === 'Patient' && res.body.id === patient.id) return { patient, premise: readPremise('patient', 'patient-read') };
    tried.push({ via: 'patient-read', status: res.status, held: false });
  }
  if (!cap?.ok || searchable(cap, 'Patient', 'identifier') || supports(cap, 'Patient', 'search-type')) {
    const found = await ehrPatientsByIdentifier(ctx, patient.identifier);
    if (found.some((p) => p.id === patient.id)) return { patient, premise: { ...readPremise('patient', 'patient-search'), tried: [...tried, { via: 'patient-search', status: 200, held: true }] } };
    tried.push({ via: 'patient-search', status: 200, held: false, note: `${found.length} match(es), none of them Patient/${patient.id}` });
  }
  const premise: Premise = { premise: 'patient', via: null, confirmed: false, tried };
  const how = tried.length ? tried.map((t) => `${t.via} answered ${t.status}${t.note ? ` (${t.note})` : ''}`).join('; ') : "the EHR's API cannot read a Patient";
  throw new PremiseError(premise, `the EHR accepted the test patient, but Patient/${patient.id} could not be read back (${how})`);
}
