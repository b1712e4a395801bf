import { describe, expect, it } from 'vitest';
import { buildRoiPanel, OPEN_SECONDS_PER_WEEK, roiMeasurementsFrom, roiPanel, staleExposure } from '../../src/roi.js';
import type { Finding, LagSample } from '../../src/model/report.js';

const volumes = { bookingsPerWeek: 600, minutesPerManualEntry: 4, staffHourlyCost: 38 };
const f = (connection: string, id: Finding['id'], status: Finding['status'], evidence: Record<string, unknown> = {}): Finding => ({ id, connection, status, title: id, message: '', evidence });
const booked = (change: string, censored = false): LagSample => ({ lagMs: censored ? null : 50, lowMs: 0, highMs: 100, censored, direction: 'vendor-to-ehr', change });

describe('cost panel', () => {
  it('is null without volumes', () => expect(roiPanel(undefined, [])).toBeNull());

  it('costs nothing when every booking lands by itself and the race holds', () => {
    const panel = roiPanel(volumes, [
      f('epic', 'write-lands', 'pass'),
      f('epic', 'vendor-to-ehr-lag', 'pass', { samples: [booked('book'), booked('book')], vendorStatuses: [201, 201] }),
      f('epic', 'ehr-to-vendor-lag', 'pass', { p50Ms: 40, timeoutSeconds: 120 }),
      f('epic', 'double-booking-race', 'pass'),
    ])!;
    expect(panel).toMatchObject({ manualReentriesPerWeek: 0, staffHoursPerWeek: 0, costPerWeek: 0, expectedDoubleBookingsPerWeek: 0 });
    expect(panel.basis.staffHoursPerWeek).toBe('manualReentriesPerWeek × minutesPerManualEntry / 60');
  });

  it('charges every booking when write-lands failed: 600 × 4 min = 40 h, × 38 = 1520', () => {
    const panel = roiPanel(volumes, [f('epic', 'write-lands', 'fail')])!;
    expect(panel).toMatchObject({ manualReentriesPerWeek: 600, staffHoursPerWeek: 40, costPerWeek: 1520 });
  });

  it('counts queued (202) and never-seen bookings as re-entries, landed ones not', () => {
    const panel = roiPanel(volumes, [
      f('epic', 'write-lands', 'warn'),
      f('epic', 'vendor-to-ehr-lag', 'warn', { samples: [booked('book-queued'), booked('book'), booked('book', true), booked('book')], vendorStatuses: [202, 201, 201, 201] }),
    ])!;
    expect(panel.basis.reentryFraction).toBe(0.5);
    expect(panel.manualReentriesPerWeek).toBe(300);
    expect(panel.staffHoursPerWeek).toBe(20);
  });

  it('expects double-bookings from the stale window only when the race did not pass', () => {
    const lag = f('epic', 'ehr-to-vendor-lag', 'fail', { p50Ms: 3800, timeoutSeconds: 120 });
    const failing = roiPanel(volumes, [lag, f('epic', 'double-booking-race', 'fail')])!;
    const want = 600 * (1 - Math.exp((-600 * 3.8) / OPEN_SECONDS_PER_WEEK));
    expect(failing.expectedDoubleBookingsPerWeek).toBeCloseTo(want, 2);
    expect(failing.expectedDoubleBookingsPerWeek).toBeGreaterThan(8);
    const guarded = roiPanel(volumes, [lag, f('epic', 'double-booking-race', 'pass')])!;
    expect(guarded.expectedDoubleBookingsPerWeek).toBe(0);
  });

  it('uses the timeout as a lower bound when the typical change was never seen', () => {
    const [m] = roiMeasurementsFrom([f('epic', 'ehr-to-vendor-lag', 'fail', { p50Ms: null, timeoutSeconds: 120 })]);
    expect(m).toMatchObject({ lagSeconds: 120, lagIsLowerBound: true, racePassed: false });
    const panel = buildRoiPanel(volumes, [m!])!;
    expect(String(panel.basis.lagSeconds)).toMatch(/more than 120 s/);
  });

  it('splits bookings evenly across connections and ignores unjudged findings', () => {
    const panel = roiPanel(volumes, [
      f('epic', 'write-lands', 'fail'),
      f('athenahealth', 'write-lands', 'pass'),
      f('oracle-health', 'write-lands', 'error'),
    ])!;
    expect(panel.manualReentriesPerWeek).toBe(300);
  });

  it('stale exposure grows with the lag and saturates', () => {
    expect(staleExposure(600, 0)).toBe(0);
    expect(staleExposure(600, 3600 * 45)).toBeGreaterThan(0.99);
    expect(staleExposure(600, 10)).toBeGreaterThan(staleExposure(600, 1));
  });
});
