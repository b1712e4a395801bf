// Undoes a run (DESIGN §8): from the ledger and the run tag, remove or cancel everything the run caused in the
// EHR, including what a vendor wrote on its behalf, and put every touched slot back as it was.
import type { FhirClient } from '../http/fhir-client.js';
import { ProbeError } from '../http/types.js';
import type { CleanupSummary, WriteRecord } from '../model/report.js';
import { RUN_TAG_SYSTEM, type LedgerEntry } from './types.js';

export interface CleanupResult {
  summary: CleanupSummary;
  writes: WriteRecord[];
}

interface Found {
  resourceType: string;
  id: string;
}

const ACTIVE = new Set(['proposed', 'pending', 'booked', 'arrived', 'checked-in', 'waitlist']);
/** How a vendor's own record reads while a booking waits in its queue (DESIGN §5: 202 accepted, entered later). */
const QUEUED = new Set(['proposed', 'pending', 'waitlist']);

async function search(ehr: FhirClient, type: string, query: Record<string, string>): Promise<Found[]> {
  const found = await ehr.searchAll<{ resourceType: string; id: string }>(type, query, { maxPages: 20 });
  return found.filter((r) => r.resourceType === type && r.id).map((r) => ({ resourceType: type, id: r.id }));
}

/** Deletes a resource; an Appointment whose delete is refused is cancelled instead, which frees its slot too. */
async function remove(ehr: FhirClient, r: Found): Promise<boolean> {
  const res = await ehr.delete(r.resourceType, r.id);
  if (res.status < 300 || res.status === 404 || res.status === 410) return true;
  if (r.resourceType !== 'Appointment') return false;
  const current = await ehr.read<{ status: string }>('Appointment', r.id);
  if (!ACTIVE.has(current.status)) return true;
  const cancelled = await ehr.update({ ...current, status: 'cancelled' });
  return cancelled.status < 300;
}

/** Puts a Slot's status back by update, or by JSON patch where the EHR takes no Slot update. */
async function restoreSlot(ehr: FhirClient, id: string, slot: { status: string; meta?: unknown }, status: string) {
  const updated = await ehr.update({ ...slot, status, meta: undefined });
  if (![404, 405, 501].includes(updated.status)) return updated;
  const patch = [{ op: 'replace', path: '/status', value: status }];
  return ehr.request({ method: 'PATCH', path: `Slot/${encodeURIComponent(id)}`, body: patch, headers: { 'content-type': 'application/json-patch+json' } });
}

/**
 * A booking the vendor queued (202) may be written to the EHR after this cleanup. The vendor's own record
 * (DESIGN §5) says whether one is still waiting; without the vendor, any 202 the EHR does not account for is.
 */
async function stillQueued(vendor: FhirClient | undefined, identifier: string, answered202: number, inEhr: number): Promise<boolean> {
  if (!vendor) return inEhr < answered202;
  const records = await vendor.searchAll<{ resourceType?: string; status?: string }>('Appointment', { identifier }, { maxPages: 2 });
  return records.some((r) => r.resourceType === 'Appointment' && QUEUED.has(r.status ?? ''));
}

/**
 * Cleans one connection's part of a run. Never throws: what could not be undone is listed as leftover.
 * `vendor`, when given, is asked about bookings it queued that have not reached the EHR yet.
 */
export async function cleanupConnection(ehr: FhirClient, runId: string, entries: readonly LedgerEntry[], vendor?: FhirClient): Promise<CleanupResult> {
  const leftover: string[] = [];
  const writes: WriteRecord[] = [];
  const targets = new Map<string, Found>();
  // The ledger entry that led to each target: a record the vendor wrote for us is found by our identifier.
  const sources = new Map<string, LedgerEntry>();
  const add = (r: Found, source?: LedgerEntry) => {
    const key = `${r.resourceType}/${r.id}`;
    targets.set(key, r);
    const known = sources.get(key);
    if (source && (!known || (known.target === 'ehr' && source.target === 'vendor'))) sources.set(key, source);
  };
  // Per booking identifier the vendor answered 202: how many times, and how many Appointments the EHR holds.
  const queued = new Map<string, { answered202: number; inEhr: number }>();
  const attempt = async <T>(what: string, run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await run();
    } catch (error) {
      leftover.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  };

  // 1. What the ledger says was created, and what carries a run identifier (the vendor's writes on our behalf).
  for (const e of entries) {
    if (e.result?.id && e.resourceType !== 'Slot' && (e.action.startsWith('create') || e.action === 'book' || e.action === 'subscribe')) add({ resourceType: e.resourceType, id: e.result.id }, e);
    if (e.identifier && e.resourceType !== 'Slot') {
      const found = await attempt(`search ${e.resourceType} ${e.identifier}`, () => search(ehr, e.resourceType, { identifier: e.identifier! }));
      for (const r of found ?? []) add(r, e);
      if (e.target === 'vendor' && e.action === 'book' && e.result?.status === 202) {
        const q = queued.get(e.identifier) ?? { answered202: 0, inEhr: 0 };
        queued.set(e.identifier, { answered202: q.answered202 + 1, inEhr: Math.max(q.inEhr, found?.length ?? 0) });
      }
    }
  }
  // 2. Anything else carrying the run tag (a vendor may copy our tag onto records the ledger never saw).
  // An EHR that cannot search a type by tag (405, 404, 400) holds nothing of ours findable that way: not a leftover.
  for (const type of ['Appointment', 'Patient', 'Subscription']) {
    const found = await attempt(`search ${type} by run tag`, () =>
      search(ehr, type, { _tag: `${RUN_TAG_SYSTEM}|${runId}` }).catch((error: unknown) => {
        if (error instanceof ProbeError && [400, 404, 405].includes(error.details.status ?? 0)) return [];
        throw error;
      }),
    );
    for (const r of found ?? []) add(r);
  }
  // Appointments first: they hold slots and point at patients.
  const ordered = [...targets.values()].sort((a, b) => Number(b.resourceType === 'Appointment') - Number(a.resourceType === 'Appointment'));
  for (const r of ordered) {
    const ok = await attempt(`remove ${r.resourceType}/${r.id}`, () => remove(ehr, r));
    if (ok === false) leftover.push(`${r.resourceType}/${r.id}: the EHR refused to remove it`);
    const entry = entries.find((e) => e.result?.id === r.id) ?? sources.get(`${r.resourceType}/${r.id}`);
    writes.push({ connection: entry?.connection ?? entries[0]?.connection ?? '', target: entry?.target ?? 'vendor', action: entry?.action ?? 'found-by-tag', resourceType: r.resourceType, id: r.id, removed: ok === true });
  }
  // Bookings the vendor still holds in its queue reach the EHR after this: not undone yet, so not clean.
  for (const [identifier, q] of queued) {
    const pending = await attempt(`ask the vendor about queued booking ${identifier}`, () => stillQueued(vendor, identifier, q.answered202, q.inEhr));
    if (pending) leftover.push(`booking ${identifier}: queued by the vendor (HTTP 202) and not in the EHR yet; run \`ehr-check cleanup\` again once it has been entered`);
  }
  // 3. Slots back to the status they had before the run touched them (the earliest record wins), read back after:
  // an EHR that derives a slot's status from its bookings may answer 2xx and keep its own.
  const firstSeen = new Map<string, string>();
  for (const e of entries) if (e.slot && !firstSeen.has(e.slot.id)) firstSeen.set(e.slot.id, e.slot.previousStatus);
  for (const [id, previous] of firstSeen) {
    await attempt(`restore Slot/${id}`, async () => {
      const slot = await ehr.read<{ status: string; meta?: unknown }>('Slot', id);
      if (slot.status === previous) return;
      const res = await restoreSlot(ehr, id, slot, previous);
      const now = res.status < 300 ? (await ehr.read<{ status: string }>('Slot', id)).status : slot.status;
      if (now !== previous) leftover.push(`Slot/${id}: still ${now}, was ${previous} (HTTP ${res.status})`);
    });
  }
  const created = entries.filter((e) => e.action !== 'free-slot' && e.action !== 'block-slot').length;
  return { summary: { created, removed: writes.filter((w) => w.removed).length, leftover }, writes };
}

export function mergeCleanups(results: readonly CleanupResult[]): CleanupResult {
  return {
    summary: {
      created: results.reduce((n, r) => n + r.summary.created, 0),
      removed: results.reduce((n, r) => n + r.summary.removed, 0),
      leftover: results.flatMap((r) => r.summary.leftover),
    },
    writes: results.flatMap((r) => r.writes),
  };
}
