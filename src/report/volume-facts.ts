// The volume check's result as every formatter shows it: per connection, the burst's counts read back from the
// writes-at-volume finding's evidence. Pure; evidence is read defensively (a saved report may be old or edited).
import type { Finding, Report, Status } from '../model/report.js';
import { formatMs } from './facts.js';

export interface VolumeView {
  connection: string;
  status: Status;
  concurrency: number | null;
  attempted: number;
  accepted: number;
  refused: number;
  landed: number;
  duplicates: number;
  lostKeys: string[];
  throttled: number;
  errors: number;
  lagP50Ms: number | null;
  lagP95Ms: number | null;
}

const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const ms = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The writes-at-volume findings whose evidence carries the burst's counts (a skipped or errored one has none). */
export function volumeViews(report: Report): VolumeView[] {
  const findings: Finding[] = report.checks.flatMap((c) => c.findings).filter((f) => f.id === 'writes-at-volume');
  return findings.flatMap((f) => {
    const e = f.evidence ?? {};
    if (typeof e.attempted !== 'number') return [];
    const settings = (e.settings ?? {}) as Record<string, unknown>;
    return [
      {
        connection: f.connection ?? '',
        status: f.status,
        concurrency: ms(settings.concurrency),
        attempted: count(e.attempted),
        accepted: count(e.accepted),
        refused: count(e.refused),
        landed: count(e.landed),
        duplicates: count(e.duplicates),
        lostKeys: Array.isArray(e.lostKeys) ? e.lostKeys.filter((k): k is string => typeof k === 'string') : [],
        throttled: count(e.throttledAnswers),
        errors: count(e.errorAnswers),
        lagP50Ms: ms(e.lagP50Ms),
        lagP95Ms: ms(e.lagP95Ms),
      },
    ];
  });
}

/** "30 booked, 10 at once: 30 accepted, 0 refused, 30 landed, 0 duplicates, 0 lost, 4 throttled; lag p50 40 ms, p95 120 ms". */
export function volumeLine(v: VolumeView): string {
  const burst = `${v.attempted} booked${v.concurrency === null ? '' : `, ${v.concurrency} at once`}`;
  const counts = [`${v.accepted} accepted`, `${v.refused} refused`, `${v.landed} landed`, `${v.duplicates} duplicate${v.duplicates === 1 ? '' : 's'}`, `${v.lostKeys.length} lost`];
  if (v.throttled) counts.push(`${v.throttled} throttled`);
  if (v.errors) counts.push(`${v.errors} vendor error${v.errors === 1 ? '' : 's'}`);
  const lag = v.lagP50Ms === null ? '' : `; lag under load p50 ${formatMs(v.lagP50Ms)}, p95 ${formatMs(v.lagP95Ms)}`;
  return `${burst}: ${counts.join(', ')}${lag}`;
}
