import { describe, expect, it } from 'vitest';
import { buildRoiPanel, OPEN_SECONDS_PER_WEEK, roiMeasurementsFrom, roiPanel, staleExposure } from '../../src/roi.js';
import type { Finding, LagSample } from '../../src/model/report.js';
import { REENTRY_RULE } from '../../src/reentry.js';

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
    expect(panel).toMatchObject({ manualReentriesPerWeek: 0, staffHoursPerWeek: 0, costPerWeek: 0, expectedDoubleBookingsPerWeek: 0, reentryCostPerWeek: 0, doubleBookingCostPerWeek: 0 });
    expect(panel.basis.reentryHoursPerWeek).toBe('manualReentriesPerWeek × minutesPerManualEntry / 60');
    expect(panel.basis.staffHoursPerWeek).toBe('reentryHoursPerWeek + doubleBookingHoursPerWeek');
  });

  it('charges every booking when write-lands failed: 600 × 4 min = 40 h, × 38 = 1520', () => {
    const panel = roiPanel(volumes, [f('epic', 'write-lands', 'fail')])!;
    expect(panel).toMatchObject({ manualReentriesPerWeek: 600, staffHoursPerWeek: 40, costPerWeek: 1520 });
  });

  it('counts never-seen and refused bookings as re-entries; a queued (202) one the EHR then held is not one', () => {
    // write-lands: queued and landed (not one); trials: queued and landed, landed, never seen, landed, refused.
    const panel = roiPanel(volumes, [
      f('epic', 'write-lands', 'warn', { manualReentry: false }),
      f('epic', 'vendor-to-ehr-lag', 'warn', { samples: [booked('book-queued'), booked('book'), booked('book', true), booked('book')], vendorStatuses: [202, 201, 201, 201, 409] }),
    ])!;
    // 2 of 6 bookings tried through the vendor: the never-seen one and the refused one.
    expect(panel.basis.reentryFraction).toBe(0.333);
    expect(panel.manualReentriesPerWeek).toBe(200);
    expect(panel).toMatchObject({ reentryHoursPerWeek: 13.33, reentryCostPerWeek: 506.54, staffHoursPerWeek: 13.33, costPerWeek: 506.54 });
    expect(panel.basis.manualReentry).toBe(REENTRY_RULE);
  });

  it('charges nothing for bookings that were only queued and then reached the EHR by themselves', () => {
    const panel = roiPanel(volumes, [
      f('epic', 'write-lands', 'warn', { manualReentry: false }),
      f('epic', 'vendor-to-ehr-lag', 'warn', { samples: [booked('book-queued'), booked('book-queued'), booked('book-queued')], vendorStatuses: [202, 202, 202] }),
    ])!;
    expect(panel).toMatchObject({ manualReentriesPerWeek: 0, reentryCostPerWeek: 0 });
    expect(panel.basis.reentryFraction).toBe(0);
  });

  it('counts a write-lands finding as one booking, by its flag, or by its status when it has none (an older report)', () => {
    expect(roiPanel(volumes, [f('epic', 'write-lands', 'fail', { manualReentry: false })])!.manualReentriesPerWeek).toBe(0);
    expect(roiPanel(volumes, [f('epic', 'write-lands', 'fail', { manualReentry: true })])!.manualReentriesPerWeek).toBe(600);
    expect(roiPanel(volumes, [f('epic', 'write-lands', 'warn')])!.manualReentriesPerWeek).toBe(0);
  });

  it('prices each expected double-booking at minutesPerDoubleBooking (20 by default) of staff time', () => {
    const findings = [f('epic', 'ehr-to-vendor-lag', 'fail', { p50Ms: 2000, timeoutSeconds: 120 }), f('epic', 'double-booking-race', 'fail'), f('epic', 'write-lands', 'pass')];
    const panel = roiPanel(volumes, findings)!;
    // 600 × (1 − e^(−600 × 2 / 162000)) ≈ 4.43 a week; × 20 min / 60 = 1.48 h; × $38 = $56.24.
    expect(panel.expectedDoubleBookingsPerWeek).toBe(4.43);
    expect(panel).toMatchObject({ minutesPerDoubleBooking: 20, doubleBookingHoursPerWeek: 1.48, doubleBookingCostPerWeek: 56.24, reentryCostPerWeek: 0, costPerWeek: 56.24, staffHoursPerWeek: 1.48 });
    expect(panel.basis.minutesPerDoubleBooking).toMatch(/^20 \(the default/);
    const given = roiPanel({ ...volumes, minutesPerDoubleBooking: 45 }, findings)!;
    expect(given).toMatchObject({ minutesPerDoubleBooking: 45, doubleBookingHoursPerWeek: 3.32, doubleBookingCostPerWeek: 126.16, costPerWeek: 126.16 });
    expect(given.basis.minutesPerDoubleBooking).toBe('45 (from the plan)');
    // The parts add up to the total, in hours and in money.
    const both = roiPanel(volumes, [...findings.slice(0, 2), f('epic', 'write-lands', 'fail', { manualReentry: true })])!;
    expect(both.staffHoursPerWeek).toBeCloseTo(both.reentryHoursPerWeek! + both.doubleBookingHoursPerWeek!, 6);
    expect(both.costPerWeek).toBeCloseTo(both.reentryCostPerWeek! + both.doubleBookingCostPerWeek!, 6);
    expect(both.reentryCostPerWeek).toBe(1520);
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
