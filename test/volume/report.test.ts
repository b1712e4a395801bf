// The volume result in every report format, with its counts, and in the cost panel as weekly numbers: from a real
// run against a vendor that drops bookings when busy, so lost keys are named in each format.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../src/contracts/validate.js';
import type { Report } from '../../src/model/report.js';
import { costBreakdown } from '../../src/report/facts.js';
import { formatHtml } from '../../src/report/html.js';
import { formatMarkdown } from '../../src/report/markdown.js';
import { formatTerminal } from '../../src/report/terminal.js';
import { buildRoiPanel } from '../../src/roi.js';
import { evaluatePlan } from '../helpers/run.js';
import type { World } from '../helpers/world.js';
import { startVolumeWorld, volumePlan } from './world.js';

const volumes = { bookingsPerWeek: 600, minutesPerManualEntry: 4, staffHourlyCost: 38 };

let world: World;
let report: Report;
let lost: string[];
beforeAll(async () => {
  world = await startVolumeWorld({ behavior: 'deep', faults: ['drop-when-busy'], busyLimit: 3 });
  const loaded = volumePlan(world, { retryShare: 0 });
  loaded.plan.buyer.volumes = volumes;
  const run = await evaluatePlan(loaded, { checks: ['volume'] });
  report = run.report;
  lost = run.finding('writes-at-volume', 'epic').evidence.lostKeys as string[];
});
afterAll(() => world?.close());

describe('the volume result in the reports', () => {
  it('is a valid 1.2 report with the volume check and its finding', () => {
    expect(report.schemaVersion).toBe('1.2');
    expect(() => validateReport(report)).not.toThrow();
    expect(report.checks.map((c) => c.id)).toEqual(['volume']);
    expect(lost.length).toBeGreaterThan(0);
  });

  it('shows the counts in the terminal, Markdown and HTML', () => {
    const v = report.checks[0]!.findings[0]!.evidence as { attempted: number; landed: number };
    const terminal = formatTerminal(report, { color: false, width: 200 });
    expect(terminal).toContain('Writes at volume');
    expect(terminal).toMatch(new RegExp(`epic .*fail .*12 \\(6 at once\\) .* ${v.landed} .* ${lost.length} `));
    const markdown = formatMarkdown(report);
    expect(markdown).toContain(`**Volume:** ❌ epic 12 booked, 6 at once: 12 accepted, 0 refused, ${v.landed} landed, 0 duplicates, ${lost.length} lost`);
    expect(markdown).toContain(lost[0]);
    const html = formatHtml(report);
    expect(html).toContain('data-testid="volume-table"');
    expect(html).toContain(`<code>${lost[0]}</code>`);
  });

  it('turns the lost bookings into weekly numbers in the cost panel', () => {
    const roi = report.roi!;
    // 600 bookings a week × (lost / 12) lost, each keyed in by hand at 4 min and $38 an hour.
    const perWeek = Math.round(((600 * lost.length) / 12) * 10) / 10;
    expect(roi.volumeLostPerWeek).toBe(perWeek);
    expect(roi.volumeDuplicatesPerWeek).toBe(0);
    expect(roi.volumeHoursPerWeek).toBe(Math.round(((perWeek * 4) / 60) * 100) / 100);
    expect(roi.costPerWeek).toBeCloseTo(roi.volumeCostPerWeek! + (roi.reentryCostPerWeek ?? 0) + (roi.doubleBookingCostPerWeek ?? 0), 2);
    expect(costBreakdown(roi)).toContain(`for ${perWeek} bookings lost and 0 duplicated at volume`);
  });
});

describe('the cost of a burst, by the formula', () => {
  it('prices duplicates as double-bookings and lost bookings beyond the one-at-a-time re-entries', () => {
    const roi = buildRoiPanel({ ...volumes, minutesPerDoubleBooking: 20 }, [
      { connection: 'epic', reentryFraction: 0.1, lagSeconds: null, lagIsLowerBound: false, racePassed: true, volume: { attempted: 30, lost: 6, duplicates: 3 } },
    ])!;
    // Lost: 600 × (6/30 − 0.1) = 60; duplicated: 600 × 3/30 = 60; (60 × 4 + 60 × 20) / 60 = 24 h = $912.
    expect(roi).toMatchObject({ volumeLostPerWeek: 60, volumeDuplicatesPerWeek: 60, volumeHoursPerWeek: 24, volumeCostPerWeek: 912 });
    expect(roi.costPerWeek).toBe(152 + 912);
  });

  it('adds nothing and no fields when the volume check did not run', () => {
    const roi = buildRoiPanel(volumes, [{ connection: 'epic', reentryFraction: 0, lagSeconds: null, lagIsLowerBound: false, racePassed: true }])!;
    expect(roi.volumeCostPerWeek).toBeUndefined();
    expect(Object.keys(roi.basis).some((k) => k.startsWith('volume'))).toBe(false);
  });
});
