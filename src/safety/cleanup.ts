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

/** Cleans one connection's part of a run. Never throws: what could not be undone is listed as leftover. */
export async function cleanupConnection(ehr: FhirClient, runId: string, entries: readonly LedgerEntry[]): Promise<CleanupResult> {
  const leftover: string[] = [];
  const writes: WriteRecord[] = [];
  const targets = new Map<string, Found>();
  const add = (r: Found) => targets.set(`${r.resourceType}/${r.id}`, r);
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
    if (e.result?.id && e.resourceType !== 'Slot' && (e.action.startsWith('create') || e.action === 'book' || e.action === 'subscribe')) add({ resourceType: e.resourceType, id: e.result.id });
    if (e.identifier && e.resourceType !== 'Slot') {
      for (const r of (await attempt(`search ${e.resourceType} ${e.identifier}`, () => search(ehr, e.resourceType, { identifier: e.identifier! }))) ?? []) add(r);
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
    const entry = entries.find((e) => e.result?.id === r.id);
    writes.push({ connection: entry?.connection ?? '', target: entry?.target ?? 'vendor', action: entry?.action ?? 'found-by-tag', resourceType: r.resourceType, id: r.id, removed: ok === true });
  }
  // 3. Slots back to the status they had before the run touched them (the earliest record wins).
  const firstSeen = new Map<string, string>();
  for (const e of entries) if (e.slot && !firstSeen.has(e.slot.id)) firstSeen.set(e.slot.id, e.slot.previousStatus);
  for (const [id, previous] of firstSeen) {
    await attempt(`restore Slot/${id}`, async () => {
      const slot = await ehr.read<{ status: string; meta?: unknown }>('Slot', id);
      if (slot.status === previous) return;
      const res = await ehr.update({ ...slot, status: previous, meta: undefined });
      if (res.status >= 300) leftover.push(`Slot/${id}: still ${slot.status}, was ${previous} (HTTP ${res.status})`);
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
