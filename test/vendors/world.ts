// A small world for vendor tests: one EHR sandbox (generic flavor), one reference vendor in front of it,
// and plain FHIR JSON helpers to ask either of them. The EHR is always the record of truth.
import type { RunningSandbox, SandboxOptions } from '../../fixtures/sandbox/index.js';
import type { RunningVendor } from '../../fixtures/vendors/index.js';
import { BOOKING_SYSTEM, RUN_TAG, staff as staffAt } from '../helpers/ehr-truth.js';
import { startWorld as startTestWorld, startVendorOn as startVendorOnSandbox, type VendorSpec, type WorldOptions } from '../helpers/world.js';

export { BOOKING_SYSTEM } from '../helpers/ehr-truth.js';
export const PATIENT_SYSTEM = 'urn:ehr-check:test-patient';
export const RUN_META = {
  tag: [{ system: RUN_TAG, code: 'vendor-test' }],
  security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'HTEST' }],
};

export interface Answer<T = any> {
  status: number;
  body: T;
  location: string | null;
}

export interface Slot {
  resourceType: 'Slot';
  id: string;
  status: string;
  start: string;
  end: string;
  schedule: { reference: string };
}

export async function fhir<T = any>(url: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { accept: 'application/fhir+json', ...init.headers };
  if (init.body !== undefined) headers['content-type'] = 'application/fhir+json';
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, location: res.headers.get('location') };
}

export interface World {
  sandbox: RunningSandbox;
  vendor: RunningVendor;
  ehrUrl: string;
  vendorUrl: string;
  close(): Promise<void>;
}

/** A world of the shared test kind, with the two base URLs these tests ask at. */
function withUrls(world: Omit<World, 'ehrUrl' | 'vendorUrl'>): World {
  return Object.assign(world, { ehrUrl: world.sandbox.fhirBaseUrl, vendorUrl: world.vendor.baseUrl });
}

/** `vendorProxy`: the vendor reaches the EHR through a proxy with these options. */
export async function startWorld(vendor: VendorSpec, sandbox: SandboxOptions = {}, vendorProxy?: WorldOptions['vendorProxy']): Promise<World> {
  return withUrls(await startTestWorld({ vendor, sandbox, ...(vendorProxy && { vendorProxy }) }));
}

/** Another vendor on a running sandbox, as a world of its own (closing it closes only the vendor). */
export async function startVendorOn(sandbox: RunningSandbox, vendor: VendorSpec, ehrBaseUrl?: string): Promise<World> {
  const running = await startVendorOnSandbox(sandbox, vendor, ehrBaseUrl);
  return withUrls({ sandbox, vendor: running, close: () => running.close() });
}

export function entries<T = any>(bundle: { entry?: Array<{ resource?: T }> } | undefined): T[] {
  return (bundle?.entry ?? []).map((e) => e.resource).filter((r): r is T => r !== undefined);
}

/** Free slots of a schedule in a window, following paging: from the EHR or from the vendor. */
export async function freeSlots(base: string, scheduleId: string, from: string, to: string): Promise<Slot[]> {
  const found: Slot[] = [];
  let next: string | undefined =
    `${base}/Slot?schedule=Schedule/${scheduleId}&status=free&start=ge${encodeURIComponent(from)}&start=lt${encodeURIComponent(to)}&_count=50`;
  while (next) {
    const page: Answer = await fhir(next);
    if (page.status !== 200) throw new Error(`Slot search answered ${page.status}`);
    found.push(...entries<Slot>(page.body).filter((r) => r.resourceType === 'Slot'));
    next = page.body.link?.find((l: { relation: string }) => l.relation === 'next')?.url;
  }
  return found;
}

/** The whole seeded horizon: everything the sandbox holds for a schedule. */
export const HORIZON = { from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' };

export function ids(slots: Array<{ id: string }>): string[] {
  return slots.map((s) => s.id).sort();
}

export async function someFreeSlots(world: World, count: number, scheduleId = world.sandbox.seeded.scheduleIds[0] as string): Promise<Slot[]> {
  const slots = await freeSlots(world.ehrUrl, scheduleId, HORIZON.from, HORIZON.to);
  if (slots.length < count) throw new Error('the sandbox has too few free slots');
  // Spread the picks so tests in one world don't collide on neighbouring slots.
  const step = Math.floor(slots.length / count);
  return Array.from({ length: count }, (_, n) => slots[n * step] as Slot);
}

export function booking(slot: Slot, patientId: string, key: string) {
  return {
    resourceType: 'Appointment',
    meta: RUN_META,
    status: 'booked',
    slot: [{ reference: `Slot/${slot.id}` }],
    start: slot.start,
    end: slot.end,
    participant: [
      { actor: { reference: `Patient/${patientId}` }, status: 'accepted' },
      { actor: { reference: slot.schedule.reference }, status: 'accepted' },
    ],
    identifier: [{ system: BOOKING_SYSTEM, value: key }],
  };
}

export function book(world: World, slot: Slot, patientId: string, key: string): Promise<Answer> {
  return fhir(`${world.vendorUrl}/Appointment`, {
    method: 'POST',
    body: booking(slot, patientId, key),
    headers: { 'if-none-exist': `identifier=${BOOKING_SYSTEM}|${key}` },
  });
}

/** Appointments the EHR holds for a booking KEY. */
export async function ehrBookings(world: World, key: string): Promise<any[]> {
  const res = await fhir(`${world.ehrUrl}/Appointment?identifier=${encodeURIComponent(`${BOOKING_SYSTEM}|${key}`)}`);
  if (res.status !== 200) throw new Error(`Appointment search answered ${res.status}`);
  return entries(res.body);
}

export async function ehrSlot(world: World, id: string): Promise<Slot> {
  return (await fhir<Slot>(`${world.ehrUrl}/Slot/${id}`)).body;
}

export function patient(value: string) {
  return {
    resourceType: 'Patient',
    meta: RUN_META,
    identifier: [{ system: PATIENT_SYSTEM, value }],
    name: [{ family: 'Testpatient', given: ['Vendor'] }],
    gender: 'unknown',
    birthDate: '1970-01-01',
  };
}

export async function ehrPatients(world: World, value: string): Promise<any[]> {
  const res = await fhir(`${world.ehrUrl}/Patient?identifier=${encodeURIComponent(`${PATIENT_SYSTEM}|${value}`)}`);
  return entries(res.body);
}

/** A test patient created directly in the EHR. */
export async function ehrPatient(world: World, value: string): Promise<string> {
  const res = await fhir(`${world.ehrUrl}/Patient`, { method: 'POST', body: patient(value) });
  if (res.status !== 201) throw new Error(`Patient create answered ${res.status}`);
  return res.body.id as string;
}

export function staff(world: World, action: 'block' | 'free', slotId: string): Promise<void> {
  return staffAt(world.sandbox, action, slotId);
}

/** Re-asks `read` every `everyMs` until `done` holds or `timeoutMs` passes; returns the last value and when. */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, everyMs = 50): Promise<{ value: T; ok: boolean; elapsedMs: number }> {
  const began = Date.now();
  for (;;) {
    const value = await read();
    const elapsedMs = Date.now() - began;
    if (done(value)) return { value, ok: true, elapsedMs };
    if (elapsedMs >= timeoutMs) return { value, ok: false, elapsedMs };
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
