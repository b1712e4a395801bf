// The cost panel and the writes in words, the same in every formatter. Pure: a report in, plain text out.
// Reports written before the cost had two parts, or before the cleanup counts reconciled, still read right.
import type { Report, RoiPanel, WriteRecord } from '../model/report.js';

export function formatMoney(amount: number): string {
  return `$${Math.round(amount).toLocaleString('en-US')}`;
}

export function formatNumber(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

const plural = (n: number, one: string, many = `${one}s`) => `${formatNumber(n)} ${n === 1 ? one : many}`;

/**
 * "$0 for 0 manual re-entries (0 h) + $56 for 4.4 expected double-bookings (1.5 h at 20 min each)", or null for
 * a report whose cost was re-entries only.
 */
export function costBreakdown(roi: RoiPanel): string | null {
  if (roi.reentryCostPerWeek === undefined || roi.doubleBookingCostPerWeek === undefined) return null;
  return (
    `${formatMoney(roi.reentryCostPerWeek)} for ${plural(roi.manualReentriesPerWeek, 'manual re-entry', 'manual re-entries')} (${formatNumber(roi.reentryHoursPerWeek ?? 0)} h) + ` +
    `${formatMoney(roi.doubleBookingCostPerWeek)} for ${plural(roi.expectedDoubleBookingsPerWeek, 'expected double-booking')} ` +
    `(${formatNumber(roi.doubleBookingHoursPerWeek ?? 0)} h at ${formatNumber(roi.minutesPerDoubleBooking ?? 0)} min each)` +
    volumeCost(roi)
  );
}

/** " + $45 for 12 bookings lost and 6 duplicated at volume (1.2 h)", when the volume check ran. */
function volumeCost(roi: RoiPanel): string {
  if (roi.volumeCostPerWeek === undefined) return '';
  const lost = roi.volumeLostPerWeek ?? 0;
  const duplicated = roi.volumeDuplicatesPerWeek ?? 0;
  return ` + ${formatMoney(roi.volumeCostPerWeek)} for ${plural(lost, 'booking')} lost and ${formatNumber(duplicated)} duplicated at volume (${formatNumber(roi.volumeHoursPerWeek ?? 0)} h)`;
}

export interface WriteGroup {
  connection: string;
  target: WriteRecord['target'];
  action: string;
  resourceType: string;
  count: number;
  removed: number;
}

/** Writes grouped by connection, target, action and resource type, in first-seen order. */
export function writeGroups(writes: WriteRecord[] | undefined): WriteGroup[] {
  const groups = new Map<string, WriteGroup>();
  for (const w of writes ?? []) {
    const key = JSON.stringify([w.connection, w.target, w.action, w.resourceType]);
    const g = groups.get(key) ?? { connection: w.connection, target: w.target, action: w.action, resourceType: w.resourceType, count: 0, removed: 0 };
    g.count += 1;
    if (w.removed) g.removed += 1;
    groups.set(key, g);
  }
  return [...groups.values()];
}

/**
 * What the run wrote and what cleanup did, in numbers that add up: "Wrote 20 records in the EHR (12 directly,
 * 8 through the vendor); removed 20 of 20 (12 by the probe that made them, 8 at cleanup); 12 writes made no
 * record (refused, matched or replayed); 14 slots touched, all as they were (2 put back at cleanup); nothing
 * left over."
 */
export function cleanupSentence(report: Report): string {
  const c = report.cleanup;
  const writes = report.writes ?? [];
  const left = c.leftover.length;
  const tail = left === 0 ? 'nothing left over' : `${left} left over`;
  if (c.writesWithoutRecord === undefined) {
    // A report from before the counts reconciled: say what it holds, no more.
    const ehr = writes.filter((w) => w.target === 'ehr').length;
    const made = writes.length > 0 ? `Wrote ${writes.length} (EHR ${ehr}, vendor ${writes.length - ehr})` : `Created ${c.created}`;
    return `${made}; cleanup removed ${c.removed} of ${c.created}; ${tail}.`;
  }
  const n = (v: unknown) => (typeof v === 'number' ? v : 0);
  const touched = n(c.slotsTouched);
  if (c.created === 0 && c.writesWithoutRecord === 0 && touched === 0) return `The run wrote nothing to the EHR; ${tail}.`;
  const direct = writes.filter((w) => w.target === 'ehr').length;
  const byIdentifier = n(c.foundByIdentifier);
  const byTag = n(c.foundByTag);
  const made = [`${formatNumber(direct)} directly`, `${formatNumber(c.created - direct - byIdentifier - byTag)} through the vendor`];
  if (byIdentifier) made.push(`${formatNumber(byIdentifier)} more found by the run’s identifiers`);
  if (byTag) made.push(`${formatNumber(byTag)} found by the run tag`);
  const byProbe = n(c.removedByProbe);
  const parts = [
    `Wrote ${plural(c.created, 'record')} in the EHR (${made.join(', ')})`,
    `removed ${formatNumber(c.removed)} of ${formatNumber(c.created)}${c.removed ? ` (${formatNumber(byProbe)} by the probe that made them, ${formatNumber(c.removed - byProbe)} at cleanup)` : ''}`,
  ];
  if (c.writesWithoutRecord > 0) parts.push(`${plural(c.writesWithoutRecord, 'write')} made no record (refused, matched or replayed)`);
  if (touched > 0) parts.push(`${plural(touched, 'slot')} touched, ${left === 0 ? `all as they were (${formatNumber(n(c.restored))} put back at cleanup)` : `${formatNumber(n(c.restored))} put back at cleanup`}`);
  return `${parts.join('; ')}; ${tail}.`;
}
