// The EHR as the record of truth, read with plain fetch: independent of the product's own FHIR client, since a
// test's oracle must not share the code it judges.
import type { RunningSandbox } from '../../fixtures/sandbox/index.js';

/** The tag every resource a run writes carries (`system|runId`). */
export const RUN_TAG = 'urn:ehr-check:run';
/** The identifier system of the bookings the probes and the tests make. */
export const BOOKING_SYSTEM = 'urn:ehr-check:booking';

async function getJson<T = any>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: 'application/fhir+json' }, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as T;
}

/** Every resource of a search, following `next` links. */
export async function searchEhr<T = any>(fhirBaseUrl: string, type: string, query: Record<string, string>): Promise<T[]> {
  const found: T[] = [];
  let next: string | undefined = `${fhirBaseUrl}/${type}?${new URLSearchParams({ ...query, _count: '100' })}`;
  for (let page = 0; next && page < 100; page++) {
    const bundle: any = await getJson(next);
    for (const e of bundle.entry ?? []) if (e.resource?.resourceType === type) found.push(e.resource as T);
    next = bundle.link?.find((l: { relation: string }) => l.relation === 'next')?.url;
  }
  return found;
}

export async function readEhr<T = any>(fhirBaseUrl: string, type: string, id: string): Promise<T> {
  return getJson<T>(`${fhirBaseUrl}/${type}/${id}`);
}

/** The staff console (the EHR's own screens): block or free a slot as a person at the EHR would. */
export async function staff(sandbox: RunningSandbox, action: 'block' | 'free', slotId: string): Promise<void> {
  const res = await fetch(`${sandbox.staffUrl}/slots/${slotId}/${action}`, { method: 'POST', signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`staff ${action} of ${slotId} answered ${res.status}: ${text}`);
}

/** Status of every slot of the sandbox, by id: taken before and after a run to prove nothing stayed changed. */
export async function slotStatuses(fhirBaseUrl: string): Promise<Record<string, string>> {
  const slots = await searchEhr<{ id: string; status: string }>(fhirBaseUrl, 'Slot', {});
  return Object.fromEntries(slots.map((s) => [s.id, s.status]).sort(([a], [b]) => a!.localeCompare(b!)));
}

/** The statuses of these slots, in the order asked (`absent` for one the EHR does not hold). */
export async function statusesOf(fhirBaseUrl: string, slotIds: string[]): Promise<string[]> {
  const all = await slotStatuses(fhirBaseUrl);
  return slotIds.map((id) => all[id] ?? 'absent');
}

/** Everything carrying the run tag, by type: after cleanup this must be empty. */
export async function taggedWithRun(fhirBaseUrl: string, runId: string): Promise<Record<string, string[]>> {
  const tagged: Record<string, string[]> = {};
  for (const type of ['Appointment', 'Patient']) {
    const found = await searchEhr<{ id: string; status?: string }>(fhirBaseUrl, type, { _tag: `${RUN_TAG}|${runId}` });
    tagged[type] = found.map((r) => r.id);
  }
  return tagged;
}

/** Appointments with a booking identifier the run made (`urn:ehr-check:booking|<runId>-…`), whatever their tags. */
export async function runBookings(fhirBaseUrl: string, runId: string): Promise<Array<{ id: string; status: string }>> {
  const all = await searchEhr<{ id: string; status: string; identifier?: Array<{ system?: string; value?: string }> }>(fhirBaseUrl, 'Appointment', {});
  return all.filter((a) => a.identifier?.some((i) => i.system === BOOKING_SYSTEM && i.value?.startsWith(`${runId}-`)));
}
