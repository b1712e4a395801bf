// Integrity at volume: at a peak rate, with clients retrying while their first request is in flight, does every
// booking the vendor accepted land in the EHR exactly once? The gap shallow integrations hide in a one-at-a-time
// demo: a deduplication that searches then writes, a queue that drops work when busy, throttling that loses
// bookings. Pure judgement of the burst's evidence, counted in the EHR.
import type { Finding } from '../src/model/report.js';
import type { VolumeData, VolumeEvidence } from '../src/probes/volume/types.js';
import { CHECK_CATALOG } from './catalog.js';
import type { RunEvidence } from './evidence.js';
import { finding, titlesOf, type CheckDefinition } from './types.js';
import { tallyVolume, type VolumeTally } from './volume-tally.js';

export interface VolumeInput {
  connections: Array<{ key: string; probes?: VolumeEvidence; notProbedReason?: string }>;
}

/** `checks.volume` in the plan, beyond its weight. */
export interface VolumePlanSettings {
  bookings: number;
  concurrency: number;
  retryShare: number;
}

const ID = 'writes-at-volume';
const TITLE = titlesOf(CHECK_CATALOG.volume.findings)[ID];

/** "3 keys: k1, k2, k3" with at most five named, for messages (the evidence names them all). */
function named(keys: readonly string[]): string {
  const shown = keys.slice(0, 5).join(', ');
  return keys.length > 5 ? `${shown} and ${keys.length - 5} more` : shown;
}

const lagText = (t: VolumeTally) => (t.lagP50Ms === null ? '' : `; vendor → EHR lag under load p50 ${t.lagP50Ms} ms, p95 ${t.lagP95Ms ?? 'n/a'} ms`);

/** The burst judged by what the EHR holds: exactly once per accepted booking, and nothing for one refused. */
export function judgeVolume(key: string, d: VolumeData, requests: unknown[] = []): Finding {
  const t = tallyVolume(d);
  const evidence = { ...t, settings: d.settings, slotsFree: d.slotsFree, burstMs: d.burstMs, waitedMs: d.waitedMs, peakInFlight: d.peakInFlight, lagBoundMs: d.lookIntervalMs, notStarted: d.notStarted, interrupted: d.interrupted, unkeyed: d.unkeyed, slotsSearched: d.slotsSearched, ...(d.lookErrors && { lookErrors: d.lookErrors }), bookings: d.bookings, premises: d.premises, requests };
  const burst = `${t.attempted} booking(s), ${d.settings.concurrency} at once, ${t.retriesInFlight} retried while in flight`;
  if (d.interrupted || t.attempted < d.settings.bookings) {
    return finding(ID, key, 'error', TITLE, `the run was interrupted after ${t.attempted} of ${d.settings.bookings} booking(s): no verdict at the volume asked`, evidence);
  }
  const faults: string[] = [];
  if (t.duplicates > 0) {
    const keyed = t.duplicateKeys.length ? `${t.duplicateKeys.length} key(s) held more than once (${named(t.duplicateKeys)})` : '';
    const unkeyed = t.unkeyedAppointments ? `${t.unkeyedAppointments} booking(s) on the burst's slots carrying no key` : '';
    faults.push(`${t.duplicates} duplicate Appointment(s) in the EHR: ${[keyed, unkeyed].filter(Boolean).join('; ')}`);
  }
  if (t.lostKeys.length) faults.push(`${t.lostKeys.length} accepted booking(s) never reached the EHR (lost keys: ${named(t.lostKeys)})`);
  if (t.refusedButWrittenKeys.length) faults.push(`${t.refusedButWrittenKeys.length} booking(s) refused to the caller yet written (${named(t.refusedButWrittenKeys)})`);
  if (faults.length) return finding(ID, key, 'fail', TITLE, `${faults.join('; ')}, of ${burst}${lagText(t)}`, evidence);
  if (t.accepted === 0) return finding(ID, key, 'fail', TITLE, `the vendor accepted none of ${burst}: it cannot book at this rate`, evidence);
  const landedOnce = `every one of the ${t.accepted} accepted booking(s) landed exactly once`;
  const concerns: string[] = [];
  if (t.landedWithoutKeyKeys.length) concerns.push(`${t.landedWithoutKeyKeys.length} of them reached the EHR without their key (found only on their slot), so a retry could not be recognised`);
  if (t.throttledAnswers) concerns.push(`the vendor throttled ${t.throttledAnswers} request(s) with 429/503, which ehr-check waited out as Retry-After asked`);
  if (t.refused) concerns.push(`${t.refused} booking(s) were turned down (${refusalWords(t)}) and nothing was written for them`);
  if (concerns.length) return finding(ID, key, 'warn', TITLE, `${landedOnce}, but ${concerns.join('; ')} (${burst})${lagText(t)}`, evidence);
  return finding(ID, key, 'pass', TITLE, `${landedOnce} (${burst})${lagText(t)}`, evidence);
}

function refusalWords(t: VolumeTally): string {
  const parts = [];
  if (t.throttledBookings) parts.push(`${t.throttledBookings} throttled past every resend`);
  if (t.refusalStatuses.length) parts.push(`HTTP ${t.refusalStatuses.join(', ')}`);
  if (t.noAnswer) parts.push(`${t.noAnswer} never answered`);
  return parts.join(', ') || 'failed';
}

function volumeInput(run: RunEvidence): VolumeInput {
  return { connections: run.connections.map((c) => ({ key: c.key, probes: c.probes.volume, notProbedReason: c.notProbedReason })) };
}

export const volume = {
  id: 'volume',
  ...CHECK_CATALOG.volume,
  needs: ['volume'],
  input: volumeInput,
  judge(input: VolumeInput): Finding[] {
    return input.connections.map((c) => {
      if (!c.probes) return finding(ID, c.key, 'error', TITLE, `not probed: ${c.notProbedReason ?? 'the volume probe did not run on this connection'}`);
      const outcome = c.probes.writesAtVolume;
      if (outcome.kind === 'skipped') return finding(ID, c.key, 'skip', TITLE, outcome.reason);
      if (outcome.kind === 'error') return finding(ID, c.key, 'error', TITLE, `could not be probed: ${outcome.error.message}`, { error: outcome.error, requests: outcome.requests });
      return judgeVolume(c.key, outcome.data, outcome.requests);
    });
  },
} as const satisfies CheckDefinition<VolumeInput, VolumePlanSettings>;
