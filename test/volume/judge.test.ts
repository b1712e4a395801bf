// The judgement alone, as a table of bursts: pass when every accepted booking landed exactly once, fail on a
// duplicate, a lost booking or one refused yet written, warn on clean refusals (throttling) with nothing lost.
import { describe, expect, it } from 'vitest';
import { judgeVolume } from '../../checks/volume.js';
import type { VolumeBooking, VolumeData, VolumeRequest } from '../../src/probes/volume/types.js';

const req = (status: number | null, outcome: VolumeRequest['outcome'], extra: Partial<VolumeRequest> = {}): VolumeRequest => ({ kind: 'first', sentMs: 0, answeredMs: 20, status, outcome, ...extra });
const booking = (n: number, requests: VolumeRequest[], landed: number): VolumeBooking => ({
  key: `run-volume-${n}`,
  slot: `slot-${n}`,
  requests,
  landed,
  appointmentIds: Array.from({ length: landed }, (_, i) => `a${n}-${i}`),
  lag: landed ? { lagMs: 30 + n, lowMs: 20, highMs: 40 + 2 * n } : null,
});

function burst(bookings: VolumeBooking[], extra: Partial<VolumeData> = {}): VolumeData {
  return {
    settings: { bookings: bookings.length, concurrency: 2, retryShare: 0.5 },
    slotsFree: 40,
    bookings,
    notStarted: 0,
    unkeyed: [],
    slotsSearched: true,
    throttledAnswers: 0,
    lookIntervalMs: 200,
    burstMs: 100,
    waitedMs: 0,
    peakInFlight: 3,
    interrupted: false,
    premises: [],
    ...extra,
  };
}

const ok = (n: number) => booking(n, [req(201, 'confirmed')], 1);
const retried = (n: number, landed: number) => booking(n, [req(201, 'confirmed'), req(200, 'confirmed', { kind: 'retry', firstInFlight: true })], landed);

const CASES: Array<{ name: string; data: VolumeData; status: string; message: RegExp }> = [
  { name: 'all landed once', data: burst([ok(1), retried(2, 1), ok(3)]), status: 'pass', message: /every one of the 3 accepted booking\(s\) landed exactly once \(3 booking\(s\), 2 at once, 1 retried while in flight\)/ },
  { name: 'a retry doubled', data: burst([ok(1), retried(2, 2)]), status: 'fail', message: /1 duplicate Appointment\(s\) in the EHR: 1 key\(s\) held more than once \(run-volume-2\)/ },
  { name: 'a booking without its key on a booked slot', data: burst([ok(1)], { unkeyed: [{ slot: 'slot-1', appointmentIds: ['x'] }] }), status: 'fail', message: /1 booking\(s\) on the burst's slots carrying no key/ },
  { name: 'written once, but without its key', data: burst([ok(1), booking(2, [req(201, 'confirmed')], 0)], { unkeyed: [{ slot: 'slot-2', appointmentIds: ['x'] }] }), status: 'warn', message: /1 of them reached the EHR without their key/ },
  { name: 'written twice without its key', data: burst([ok(1), booking(2, [req(201, 'confirmed')], 0)], { unkeyed: [{ slot: 'slot-2', appointmentIds: ['x', 'y'] }] }), status: 'fail', message: /1 duplicate Appointment\(s\)/ },
  { name: 'confirmed, never written', data: burst([ok(1), booking(2, [req(201, 'confirmed')], 0)]), status: 'fail', message: /1 accepted booking\(s\) never reached the EHR \(lost keys: run-volume-2\)/ },
  { name: 'queued, never entered', data: burst([booking(1, [req(202, 'queued')], 0)]), status: 'fail', message: /lost keys: run-volume-1/ },
  { name: 'refused, yet written', data: burst([ok(1), booking(2, [req(409, 'refused')], 1)]), status: 'fail', message: /refused to the caller yet written \(run-volume-2\)/ },
  { name: 'throttled, then accepted on a resend', data: burst([ok(1), booking(2, [req(429, 'throttled', { retryAfterMs: 1000 }), req(201, 'confirmed', { kind: 'resend' })], 1)], { throttledAnswers: 1 }), status: 'warn', message: /throttled 1 request\(s\) with 429\/503/ },
  { name: 'throttled past every resend, nothing written', data: burst([ok(1), booking(2, [req(429, 'throttled'), req(429, 'throttled', { kind: 'resend' })], 0)], { throttledAnswers: 2 }), status: 'warn', message: /1 booking\(s\) were turned down \(1 throttled past every resend\)/ },
  { name: 'nothing accepted', data: burst([booking(1, [req(503, 'failed')], 0)]), status: 'fail', message: /accepted none of 1 booking/ },
  { name: 'interrupted', data: burst([ok(1)], { interrupted: true, settings: { bookings: 30, concurrency: 2, retryShare: 0 } }), status: 'error', message: /interrupted after 1 of 30/ },
];

describe('writes-at-volume, judged', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.status}`, () => {
      const f = judgeVolume('epic', c.data);
      expect(f.status).toBe(c.status);
      expect(f.message).toMatch(c.message);
    });
  }

  it('keeps the counts, the lost keys and the lag under load in its evidence', () => {
    const f = judgeVolume('epic', burst([ok(1), retried(2, 2), booking(3, [req(201, 'confirmed')], 0), ok(4)]));
    expect(f.evidence).toMatchObject({ attempted: 4, accepted: 4, refused: 0, landed: 3, duplicates: 1, duplicateKeys: ['run-volume-2'], lostKeys: ['run-volume-3'], retries: 1, retriesInFlight: 1, lagBoundMs: 200 });
    // Nearest rank over the three seen: 31, 32, 34 ms.
    expect(f.evidence).toMatchObject({ lagP50Ms: 32, lagP95Ms: 34, lagMaxMs: 34 });
  });
});
