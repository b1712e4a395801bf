// A report with what changes from run to run replaced by placeholders, so a golden file can pin the rest:
// which findings, their statuses, message shapes, evidence keys and the requests behind bidirectional and
// coverage verdicts. Timing (clock times, durations, measured lags, how often a freshness trial polled) and
// identity (run id, ports, server-generated ids) become placeholders; everything else is kept as it is.
import type { Report } from '../../src/model/report.js';

/** Evidence keys that hold a measured time in milliseconds. `null` (censored) is kept: it is a verdict. */
const MEASURED_MS = new Set(['durationMs', 'p50Ms', 'p95Ms', 'maxMs', 'lagMs', 'lowMs', 'highMs', 'errorBoundMs', 'queuedLandedAfterMs', 'queuedWaitMs', 'elapsedMs', 'startMs']);
const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}(?::|%3A)\d{2}(?::|%3A)\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}(?::|%3A)\d{2})/g;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
/** A measured duration in prose: "p50 12 ms", "after 2.1 s", "1.4 min". */
const PROSE_LAG = /\b\d+(?:\.\d+)?\s?(?:ms|s|min)\b/g;
const FRESHNESS_FINDINGS = new Set(['ehr-to-vendor-lag', 'vendor-to-ehr-lag', 'double-booking-race']);
/**
 * In a race that passed, which side got there first is timing; the verdict (no double booking by the vendor) is
 * not. These attempt fields (the premises too: whose booking held, and whose was removed after), and the list of
 * who won in the message, become placeholders.
 */
const RACE_OUTCOME = new Set(['ehrStatus', 'vendorStatus', 'ehrAppointmentIds', 'vendorBookingHeld', 'ehrBlockHeld', 'vendorBookedFirst', 'doubleBooked', 'premises']);
const RACE_WINNERS = /\((?:simultaneous|vendor-first|ehr-first): .*\)(?:; in \d+ the EHR itself accepted an overbooking after the vendor's booking)?$/;

export interface NormaliseOptions {
  /** Message text of these findings has its measured durations replaced too (lag prose). Default: the freshness findings. */
  lagFindings?: ReadonlySet<string>;
}

export function normaliseReport(report: Report, options: NormaliseOptions = {}): unknown {
  const lagFindings = options.lagFindings ?? FRESHNESS_FINDINGS;
  const origins = new Map<string, string>();
  for (const c of report.connections) {
    origins.set(new URL(c.ehrBaseUrl).origin, `http://ehr-${c.system}`);
    origins.set(new URL(c.vendorBaseUrl).origin, `http://vendor-${c.system}`);
  }
  const ids = new Map<string, string>();
  const idOf = (uuid: string) => {
    if (!ids.has(uuid)) ids.set(uuid, `<id:${ids.size + 1}>`);
    return ids.get(uuid)!;
  };

  const text = (value: string, lag: boolean): string => {
    let out = value;
    for (const [origin, label] of origins) out = out.split(origin).join(label);
    if (report.runId) out = out.split(report.runId).join('<run-id>');
    // Run keys count up across connections probed at once: which number a key got is scheduling.
    out = out.replace(/<run-id>-([a-z-]+)-\d+/g, '<run-id>-$1-<n>');
    out = out.replace(UUID, idOf).replace(ISO_TIME, '<time>');
    return lag ? out.replace(PROSE_LAG, '<lag>') : out;
  };

  const walk = (value: unknown, key: string, lag: boolean, freshness: boolean, raceWon = false): unknown => {
    if (raceWon && RACE_OUTCOME.has(key)) return '<race outcome>';
    if (typeof value === 'string') return text(value, lag);
    if (typeof value === 'number') return MEASURED_MS.has(key) ? '<ms>' : value;
    if (Array.isArray(value)) {
      // How many polls a freshness trial made, and in which order, is timing: keep that the requests exist.
      if (freshness && key === 'requests') return '<requests>';
      return value.map((v) => walk(v, key, lag, freshness, raceWon));
    }
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (k === 'at' || k === 'startedAt' || k === 'finishedAt') out[k] = '<time>';
        else if (freshness && k === 'requestsOmitted') out[k] = '<count>';
        else out[k] = walk(v, k, lag, freshness, raceWon);
      }
      return out;
    }
    return value;
  };

  const finding = (f: Report['checks'][number]['findings'][number]) => {
    const raceWon = f.id === 'double-booking-race' && f.status === 'pass';
    const out = walk(f, '', lagFindings.has(f.id), FRESHNESS_FINDINGS.has(f.id), raceWon) as { message: string };
    if (raceWon) out.message = out.message.replace(RACE_WINNERS, '(<who won each race>)');
    return out;
  };

  const { checks, roi, ...rest } = report;
  // The cost panel quotes measured lags in its basis ("epic: 0.01 s").
  const top: Record<string, unknown> = { ...(walk(rest, '', false, false) as Record<string, unknown>), roi: walk(roi, '', true, false) };
  const normalisedChecks = checks.map((check) => ({
    ...(walk({ ...check, findings: [] }, '', false, false) as object),
    findings: check.findings.map(finding),
  }));
  // Keep the report's own key order: checks where they were.
  const ordered: Record<string, unknown> = {};
  for (const k of Object.keys(report)) ordered[k] = k === 'checks' ? normalisedChecks : top[k];
  return ordered;
}
