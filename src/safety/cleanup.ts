// Undoes a run (docs/safety.md): from the ledger and the run tag, remove or cancel everything the run caused in the
// EHR, including what a vendor wrote on its behalf, and put every touched slot back as it was.
import type { FhirClient } from '../http/fhir-client.js';
import { ProbeError } from '../http/types.js';
import type { CleanupSummary, WriteRecord } from '../model/report.js';
import type { VendorChannel } from '../vendor/channel.js';
import { removeRecord } from '../ehr/removal.js';
import { attributeRecords, type FoundRecord, type RecordLine } from './attribution.js';
import { findKeylessRecords } from './keyless.js';
import { answeredQueued, makesRecord, RUN_TAG_SYSTEM, type LedgerEntry } from './types.js';

export interface CleanupResult {
  summary: CleanupSummary;
  writes: WriteRecord[];
}


/** How a vendor's own record reads while a booking waits in its queue (docs/vendor-contract.md: 202 accepted, entered later). */
const QUEUED = new Set(['proposed', 'pending', 'waitlist']);

async function search(ehr: FhirClient, type: string, query: Record<string, string>): Promise<FoundRecord[]> {
  const found = await ehr.searchAll<{ resourceType: string; id: string }>(type, query, { maxPages: 20 });
  return found.filter((r) => r.resourceType === type && r.id).map((r) => ({ resourceType: type, id: r.id }));
}

/** Deletes a resource; an Appointment whose delete is refused is cancelled instead, which frees its slot too. */
async function remove(ehr: FhirClient, r: FoundRecord): Promise<boolean> {
  return (await removeRecord(ehr, r.resourceType, r.id)).settled;
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
 * (docs/vendor-contract.md) says whether one is still waiting; without the vendor, any 202 the EHR does not account for is.
 */
async function stillQueued(vendor: VendorChannel | undefined, identifier: string, answered202: number, inEhr: number): Promise<boolean> {
  if (!vendor) return inEhr < answered202;
  const records = await vendor.findBooking(identifier);
  return records.some((r) => QUEUED.has(r.status ?? ''));
}

/**
 * Cleans one connection's part of a run. Never throws: what could not be undone is listed as leftover.
 * `vendor`, when given, is asked about bookings it queued that have not reached the EHR yet.
 *
 * The counts reconcile: `created` is the number of lines in `writes` (one per record the run's writes made),
 * `removed` + the leftover lines about records = `created`, and every other leftover line (a slot not put back,
 * a search that failed) is counted in `otherLeftover`.
 */
export async function cleanupConnection(ehr: FhirClient, runId: string, entries: readonly LedgerEntry[], vendor?: VendorChannel): Promise<CleanupResult> {
  const leftover: string[] = [];
  let otherLeftover = 0;
  const attempt = async <T>(what: string, run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await run();
    } catch (error) {
      leftover.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  };
  const check = async <T>(what: string, run: () => Promise<T>): Promise<T | undefined> => {
    const result = await attempt(what, run);
    if (result === undefined) otherLeftover += 1;
    return result;
  };

  // 1. What the EHR holds for each run identifier the ledger recorded (the vendor's writes on our behalf too).
  const byIdentifier = new Map<string, FoundRecord[]>();
  // Per booking identifier the vendor answered 202: how many times.
  const answered202 = new Map<string, number>();
  for (const e of entries.filter(makesRecord)) {
    if (!e.identifier) continue;
    if (!byIdentifier.has(e.identifier)) {
      const found = await check(`search ${e.resourceType} ${e.identifier}`, () => search(ehr, e.resourceType, { identifier: e.identifier! }));
      if (found) byIdentifier.set(e.identifier, found);
    }
    if (answeredQueued(e)) answered202.set(e.identifier, (answered202.get(e.identifier) ?? 0) + 1);
  }
  // 1b. What a vendor without booking keys (a person at its product) wrote with no run identifier at all: bookings
  // for the run's own test patient on the slots the ledger names, and charts under that patient's name.
  if (!vendor || vendor.can.bookingKey === false) {
    const keyless = await check('search records the vendor wrote without a run identifier', () => findKeylessRecords(ehr, entries));
    for (const [identifier, records] of keyless ?? []) {
      const known = byIdentifier.get(identifier) ?? [];
      byIdentifier.set(identifier, [...known, ...records.filter((r) => !known.some((k) => k.resourceType === r.resourceType && k.id === r.id))]);
    }
  }
  // 2. Anything else carrying the run tag (a vendor may copy our tag onto records the ledger never saw).
  // An EHR that cannot search a type by tag (405, 404, 400) holds nothing of ours findable that way: not a leftover.
  const byTag: FoundRecord[] = [];
  for (const type of ['Appointment', 'Patient', 'Subscription']) {
    const found = await check(`search ${type} by run tag`, () =>
      search(ehr, type, { _tag: `${RUN_TAG_SYSTEM}|${runId}` }).catch((error: unknown) => {
        if (error instanceof ProbeError && [400, 404, 405].includes(error.details.status ?? 0)) return [];
        throw error;
      }),
    );
    byTag.push(...(found ?? []));
  }
  // Bookings the vendor still holds in its queue reach the EHR after this: not undone yet, so not clean.
  const stillQueuedIds = new Set<string>();
  for (const [identifier, count] of answered202) {
    const inEhr = byIdentifier.get(identifier)?.length ?? 0;
    const pending = await check(`ask the vendor about queued booking ${identifier}`, () => stillQueued(vendor, identifier, count, inEhr));
    if (pending) stillQueuedIds.add(identifier);
  }

  // 3. Remove every record still there, Appointments first: they hold slots and point at patients.
  const { lines, writesWithoutRecord } = attributeRecords({ entries, byIdentifier, byTag, stillQueued: stillQueuedIds });
  const queuedLines = new Set(lines.filter((l) => l.queued).map((l) => entries.find((e) => e.seq === l.seq)?.identifier));
  for (const identifier of stillQueuedIds) {
    if (queuedLines.has(identifier)) continue;
    leftover.push(`booking ${identifier}: the vendor still holds a copy in its queue (HTTP 202); run \`ehr-check cleanup\` again once it has been entered`);
    otherLeftover += 1;
  }
  const order = (l: RecordLine) => Number(l.resourceType !== 'Appointment');
  const writes: WriteRecord[] = lines.map(({ removedByProbe: _p, queued: _q, seq: _s, ...line }) => ({ ...line, removed: false }));
  for (const i of lines.map((_, i) => i).sort((a, b) => order(lines[a]!) - order(lines[b]!))) {
    const line = lines[i]!;
    const write = writes[i]!;
    if (line.queued) {
      write.queued = true;
      leftover.push(`booking ${entries.find((e) => e.seq === line.seq)?.identifier ?? '?'}: queued by the vendor (HTTP 202) and not in the EHR yet; run \`ehr-check cleanup\` again once it has been entered`);
    } else if (line.removedByProbe) {
      Object.assign(write, { removed: true, removedBy: 'probe' });
    } else {
      const ok = await attempt(`remove ${line.resourceType}/${line.id}`, () => remove(ehr, { resourceType: line.resourceType, id: line.id! }));
      if (ok === false) leftover.push(`${line.resourceType}/${line.id}: the EHR refused to remove it`);
      if (ok === true) Object.assign(write, { removed: true, removedBy: 'cleanup' });
    }
  }

  // 4. Slots back to the status they had before the run touched them (the earliest record wins), read back after:
  // an EHR that derives a slot's status from its bookings may answer 2xx and keep its own.
  const firstSeen = new Map<string, string>();
  for (const e of entries) if (e.slot && !firstSeen.has(e.slot.id)) firstSeen.set(e.slot.id, e.slot.previousStatus);
  let restored = 0;
  for (const [id, previous] of firstSeen) {
    await check(`restore Slot/${id}`, async () => {
      const slot = await ehr.read<{ status: string; meta?: unknown }>('Slot', id);
      if (slot.status === previous) return true;
      const res = await restoreSlot(ehr, id, slot, previous);
      const now = res.status < 300 ? (await ehr.read<{ status: string }>('Slot', id)).status : slot.status;
      if (now === previous) restored += 1;
      else {
        leftover.push(`Slot/${id}: still ${now}, was ${previous} (HTTP ${res.status})`);
        otherLeftover += 1;
      }
      return true;
    });
  }
  const summary: CleanupSummary = {
    created: writes.length,
    removed: writes.filter((w) => w.removed).length,
    leftover,
    removedByProbe: writes.filter((w) => w.removedBy === 'probe').length,
    foundByIdentifier: writes.filter((w) => w.action === 'found-by-identifier').length,
    foundByTag: writes.filter((w) => w.action === 'found-by-tag').length,
    writesWithoutRecord,
    slotsTouched: firstSeen.size,
    restored,
    otherLeftover,
  };
  return { summary, writes };
}

const COUNTS = ['created', 'removed', 'removedByProbe', 'foundByIdentifier', 'foundByTag', 'writesWithoutRecord', 'slotsTouched', 'restored', 'otherLeftover'] as const;

export function mergeCleanups(results: readonly CleanupResult[]): CleanupResult {
  const summary: CleanupSummary = { created: 0, removed: 0, leftover: results.flatMap((r) => r.summary.leftover) };
  for (const key of COUNTS) summary[key] = results.reduce((n, r) => n + Number(r.summary[key] ?? 0), 0);
  return { summary, writes: results.flatMap((r) => r.writes) };
}
