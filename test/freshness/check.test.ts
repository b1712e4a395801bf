import { describe, expect, it } from 'vitest';
import { freshness, judgeLag, judgeRace } from '../../checks/freshness.js';
import { claimVersusMeasured } from '../../checks/freshness-claims.js';
import { summariseLag } from '../../src/freshness/lag.js';
import type { LagSample } from '../../src/model/report.js';
import type { FreshnessEvidence, LagData, RaceAttempt, RaceData } from '../../src/probes/freshness.js';

const t = { realTimeSeconds: 5, nearRealTimeSeconds: 60, timeoutSeconds: 120 };
const sample = (lagMs: number | null): LagSample =>
  lagMs === null
    ? { lagMs: null, lowMs: 120_000, highMs: 120_000, censored: true, direction: 'ehr-to-vendor', change: 'block-slot' }
    : { lagMs, lowMs: lagMs - 10, highMs: lagMs + 10, censored: false, direction: 'ehr-to-vendor', change: 'block-slot' };
function lagData(lags: Array<number | null>, extra: Partial<LagData> = {}): LagData {
  const samples = lags.map(sample);
  return { lag: summariseLag(samples, t), methods: ['slot-update'], slots: ['s1'], offsetsMs: [], seed: 1, pollErrors: [], interrupted: false, ...extra };
}

describe('lag findings: class against the thresholds', () => {
  it.each([
    ['real-time', [100, 200, 300, 400, 500], 'pass', /in p50 300 ms, p95 500 ms over 5 trial\(s\): real-time/],
    ['near-real-time', [6000, 7000, 8000, 9000, 10_000], 'warn', /near-real-time/],
    ['delayed', [61_000, 62_000, 70_000, 80_000, 90_000], 'fail', /: delayed/],
    ['one trial never seen', [100, 100, 100, 100, null], 'fail', /1 never seen: delayed \(a change never seen within the timeout makes it no better than delayed\)/],
    ['stale', [null, null, null, 100, 200], 'fail', /never seen within 120 s in 3 of 5 trials: stale/],
  ] as const)('%s', (_name, lags, status, message) => {
    const f = judgeLag('ehr-to-vendor-lag', 'epic', lagData([...lags]), t);
    expect(f.status).toBe(status);
    expect(f.message).toMatch(message);
    expect(f.connection).toBe('epic');
    for (const key of ['p50Ms', 'p95Ms', 'maxMs', 'trials', 'censored', 'class']) expect(f.evidence).toHaveProperty(key);
    expect(f.evidence.samples).toHaveLength(5);
  });

  it('re-derives the class from the samples with the judge’s thresholds, not the probe’s', () => {
    const f = judgeLag('ehr-to-vendor-lag', 'epic', lagData([1500, 1500, 1500]), { ...t, realTimeSeconds: 1 });
    expect(f.status).toBe('warn');
    expect(f.evidence.class).toBe('near-real-time');
  });

  it('says of bookings through the vendor which are manual re-entries, in the cost panel’s words', () => {
    const booking = (lagMs: number | null, change: string): LagSample => ({ ...sample(lagMs), direction: 'vendor-to-ehr', change });
    const samples = [booking(2000, 'book-queued'), booking(2100, 'book-queued'), booking(null, 'book-queued')];
    const data = { ...lagData([]), lag: summariseLag(samples, t), vendorStatuses: [202, 202, 202, 409] };
    const f = judgeLag('vendor-to-ehr-lag', 'epic', data, t);
    expect(f.message).toContain('2 of 4 booking(s) not in the EHR within 120 s: each a manual re-entry for the buyer’s staff');
    expect(f.message).toContain('2 booking(s) queued with HTTP 202: each reached the EHR by itself within the timeout, not a manual re-entry');
    // The other direction books nothing through the vendor: no such note.
    expect(judgeLag('ehr-to-vendor-lag', 'epic', lagData([100, null]), t).message).not.toMatch(/re-entry/);
  });

  it('is an error with no finished trial', () => {
    expect(judgeLag('vendor-to-ehr-lag', 'epic', lagData([], { interrupted: true }), t)).toMatchObject({ status: 'error', message: /interrupted/ });
  });
});

describe('claims against measurements', () => {
  it('a real-time claim measured delayed fails and says exactly that', () => {
    const f = judgeLag('ehr-to-vendor-lag', 'epic', lagData([3800, 3800, 3900]), { ...t, realTimeSeconds: 1, nearRealTimeSeconds: 3 }, { freshness: 'real-time', mechanism: 'fhir-subscription' });
    expect(f.status).toBe('fail');
    expect(f.message).toMatch(/^claims real-time by fhir-subscription, measured delayed \(p50 3\.8 s/);
    expect(f.evidence.claim).toEqual({ freshness: 'real-time', mechanism: 'fhir-subscription' });
  });

  it('fails even where the class alone would only warn', () => {
    const f = judgeLag('ehr-to-vendor-lag', 'epic', lagData([8000, 8000, 8000]), t, { freshness: 'real-time' });
    expect(f.status).toBe('fail');
    expect(f.message).toMatch(/claims real-time, measured near-real-time \(p50 8\.0 s/);
  });

  it.each([
    [{ freshness: 'real-time' } as const, 'real-time', undefined, /as claimed/],
    [{ freshness: 'batch' } as const, 'stale', undefined, /^as claimed$/],
    [{ freshness: 'batch' } as const, 'near-real-time', undefined, /better than the batch claimed/],
    [{ freshness: 'near-real-time' } as const, 'delayed', 'claims near-real-time', undefined],
    [{ mechanism: 'polling' } as const, 'delayed', 'claims polling, which means near-real-time', undefined],
    [{ mechanism: 'batch' } as const, 'stale', undefined, /as claimed/],
  ] as const)('%j measured %s', (claim, measured, mismatch, note) => {
    const c = claimVersusMeasured(claim, measured);
    expect(c.mismatch).toBe(mismatch);
    if (note) expect(c.notes.join(' ')).toMatch(note);
  });

  it('notes a FHIR-subscription claim on an EHR that offers no Subscription', () => {
    const c = claimVersusMeasured({ mechanism: 'fhir-subscription' }, 'real-time', { subscriptionResource: false, channelTypes: [], topicBased: false, topics: [], lastUpdatedSearch: ['Slot'] });
    expect(c.notes[0]).toMatch(/offers none/);
  });

  it('the check finds the claim in the manifest by system when the input carries none', () => {
    const probes: FreshnessEvidence = {
      connection: 'epic',
      writesAllowed: true,
      ehrToVendor: { kind: 'ok', data: lagData([8000, 8000, 8000]), requests: [] },
      vendorToEhr: { kind: 'ok', data: lagData([100, 100, 100]), requests: [] },
      race: { kind: 'skipped', reason: 'writes are not allowed' },
    };
    const manifest = { version: 1 as const, vendor: 'X', systems: [{ system: 'epic', freshness: 'real-time' as const }] };
    const findings = freshness.judge({ connections: [{ key: 'epic', system: 'epic', probes }] }, t, manifest);
    expect(findings.map((f) => [f.id, f.status])).toEqual([
      ['ehr-to-vendor-lag', 'fail'],
      ['vendor-to-ehr-lag', 'pass'],
      ['double-booking-race', 'skip'],
    ]);
  });
});

const attempt = (over: Partial<RaceAttempt>): RaceAttempt => ({
  order: 'simultaneous',
  offsetMs: 0,
  slot: 's1',
  ehrMethod: 'ehr-appointment',
  ehrStatus: 201,
  vendorStatus: 409,
  ehrAppointmentIds: ['a1'],
  vendorBookingHeld: false,
  ehrBlockHeld: true,
  doubleBooked: false,
  confirmedNotHeld: false,
  ...over,
});
const race = (...attempts: RaceAttempt[]): RaceData => ({ attempts, interrupted: false });

describe('double-booking race', () => {
  it.each([
    ['EHR wins, vendor refuses', race(attempt({}), attempt({ order: 'vendor-first', vendorStatus: 201, vendorBookingHeld: true, ehrStatus: 409, ehrBlockHeld: false })), 'pass', /never double-booked/],
    ['the EHR overbooked after the vendor', race(attempt({ order: 'vendor-first', vendorStatus: 201, vendorBookingHeld: true, ehrAppointmentIds: ['a1', 'a2'], doubleBooked: true, vendorBookedFirst: true })), 'pass', /the EHR itself accepted an overbooking after the vendor's booking/],
    ['two bookings in the EHR', race(attempt({ vendorStatus: 201, vendorBookingHeld: true, ehrAppointmentIds: ['a1', 'a2'], doubleBooked: true })), 'fail', /double-booked: the EHR holds 2 bookings on slot s1/],
    ['confirmed, not held', race(attempt({ vendorStatus: 201, confirmedNotHeld: true })), 'fail', /confirmed \(HTTP 201\) 1 booking\(s\) the EHR does not hold/],
    ['queued, never landed', race(attempt({ vendorStatus: 202, queuedWaitMs: 3000 })), 'warn', /queued \(HTTP 202\) never reached the EHR/],
    ['EHR side never answered', race(attempt({ ehrStatus: null, ehrError: { kind: 'timeout', message: 'the EHR did not answer' }, vendorStatus: 201, vendorBookingHeld: true })), 'error', /could not be raced: the EHR did not answer/],
    ['vendor unreachable every time', race(attempt({ vendorStatus: null, vendorError: { kind: 'connect', message: 'connection refused' } })), 'error', /connection refused/],
    ['interrupted after one race', { attempts: [attempt({})], interrupted: true }, 'pass', /never double-booked a slot in 1 race\(s\) .*; interrupted after 1 race\(s\)$/],
  ] as const)('%s', (_name, data, status, message) => {
    const f = judgeRace('epic', data);
    expect(f.status).toBe(status);
    expect(f.message).toMatch(message);
    expect(f.evidence.attempts).toEqual(data.attempts);
  });
});

describe('the check as a whole', () => {
  it('skips, errors and reports unprobed connections', () => {
    const skipped = { kind: 'skipped' as const, reason: 'the plan does not allow writes' };
    const failed = { kind: 'error' as const, error: { kind: 'timeout', message: 'the vendor did not answer' }, requests: [] };
    const findings = freshness.judge({
      connections: [
        { key: 'epic', system: 'epic', probes: { connection: 'epic', writesAllowed: false, ehrToVendor: skipped, vendorToEhr: skipped, race: skipped } },
        { key: 'athenahealth', system: 'athenahealth', probes: { connection: 'athenahealth', writesAllowed: true, ehrToVendor: failed, vendorToEhr: failed, race: failed } },
        { key: 'oracle-health', system: 'oracle-health', notLiveReason: 'the EHR is unreachable' },
      ],
    });
    expect(findings.map((f) => `${f.connection}:${f.id}:${f.status}`)).toEqual([
      'epic:ehr-to-vendor-lag:skip',
      'epic:vendor-to-ehr-lag:skip',
      'epic:double-booking-race:skip',
      'athenahealth:ehr-to-vendor-lag:error',
      'athenahealth:vendor-to-ehr-lag:error',
      'athenahealth:double-booking-race:error',
      'oracle-health:ehr-to-vendor-lag:error',
      'oracle-health:vendor-to-ehr-lag:error',
      'oracle-health:double-booking-race:error',
    ]);
    expect(findings[3]!.message).toBe('could not be measured: the vendor did not answer');
    expect(findings[3]!.evidence.error).toEqual({ kind: 'timeout', message: 'the vendor did not answer' });
    expect(findings[6]!.message).toMatch(/not probed: the EHR is unreachable/);
  });

  it('is declarative: id, weight and its findings', () => {
    expect(freshness).toMatchObject({ id: 'freshness', defaultWeight: 30 });
    expect(freshness.findings.map((f) => f.id)).toEqual(['ehr-to-vendor-lag', 'vendor-to-ehr-lag', 'double-booking-race']);
  });
});
