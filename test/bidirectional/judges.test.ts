// The bidirectional judges as tables: evidence in, status and message out. Pure, no servers.
import { describe, expect, it } from 'vitest';
import {
  bidirectional,
  judgeCertification,
  judgeConflict,
  judgeIdempotent,
  judgePatient,
  judgeReadThrough,
  judgeWriteLands,
} from '../../checks/bidirectional.js';
import type { ClaimCheck } from '../../src/certification.js';
import type { BidirectionalEvidence, BookingSeen, ConflictData, IdempotencyData, WriteData } from '../../src/probes/bidirectional.js';

const window = { start: '2030-01-07T07:00:00.000Z', end: '2030-01-21T06:00:00.000Z' };

describe('judgeReadThrough', () => {
  const cases: Array<{ name: string; ehr: string[]; vendor: string[]; status: string; message: RegExp; phantom: string[]; missing: string[] }> = [
    { name: 'same slots', ehr: ['a', 'b', 'c'], vendor: ['c', 'a', 'b'], status: 'pass', message: /exactly the EHR's 3 free slot/, phantom: [], missing: [] },
    { name: 'a slot the EHR holds busy', ehr: ['a', 'b'], vendor: ['a', 'b', 'x'], status: 'fail', message: /offers 1 slot\(s\) the EHR holds as busy or absent/, phantom: ['x'], missing: [] },
    { name: 'phantom outweighs missing', ehr: ['a', 'b'], vendor: ['a', 'x'], status: 'fail', message: /would double-book/, phantom: ['x'], missing: ['b'] },
    { name: 'a free slot the vendor does not show', ehr: ['a', 'b', 'c', 'd'], vendor: ['a', 'b'], status: 'warn', message: /does not show 2 of the EHR's 4 free slot/, phantom: [], missing: ['c', 'd'] },
    { name: 'nothing free in the EHR', ehr: [], vendor: [], status: 'warn', message: /nothing to compare/, phantom: [], missing: [] },
    { name: 'nothing free in the EHR, but the vendor offers slots', ehr: [], vendor: ['x'], status: 'warn', message: /nothing to compare/, phantom: ['x'], missing: [] },
  ];
  it.each(cases)('$name → $status', ({ ehr, vendor, status, message, phantom, missing }) => {
    const [s, m, extra] = judgeReadThrough({ window, ehrFree: ehr, vendorFree: vendor });
    expect(s).toBe(status);
    expect(m).toMatch(message);
    expect(extra).toEqual({ ehrFreeCount: ehr.length, vendorFreeCount: vendor.length, phantomSlots: phantom, missingSlots: missing });
  });
});

const booked = (id: string, slot = 'Slot/s1', patient = 'Patient/p1', status = 'booked'): BookingSeen => ({ id, status, slot, patient });
const write = (over: Partial<WriteData>): WriteData => ({ slotId: 's1', patientId: 'p1', vendorStatus: 201, ehrBookings: [booked('a1')], slotBookings: 1, ...over });

describe('judgeWriteLands', () => {
  // `reentry`: whether the booking is a manual re-entry under src/reentry.ts, said in the message in the same words.
  const cases: Array<{ name: string; data: Partial<WriteData>; status: string; message: RegExp; reentry: boolean }> = [
    { name: 'one booking, right slot and patient', data: {}, status: 'pass', message: /one Appointment in the EHR for the right slot and patient \(vendor answered 201\)/, reentry: false },
    { name: 'an idempotent 200 also counts', data: { vendorStatus: 200 }, status: 'pass', message: /vendor answered 200/, reentry: false },
    { name: 'confirmed, nothing in the EHR', data: { ehrBookings: [], slotBookings: 0 }, status: 'fail', message: /confirmed the booking \(HTTP 201\) but the EHR holds no such Appointment: a manual re-entry for the buyer’s staff$/, reentry: true },
    { name: 'queued and never arrived', data: { vendorStatus: 202, ehrBookings: [], slotBookings: 0, queuedLandedAfterMs: null }, status: 'fail', message: /queued \(HTTP 202\) and never reached the EHR within the timeout: a manual re-entry for the buyer’s staff$/, reentry: true },
    { name: 'queued, arrived later', data: { vendorStatus: 202, queuedLandedAfterMs: 2150 }, status: 'warn', message: /^the booking was only queued \(HTTP 202\); after 2\.1 s it reached the EHR by itself within the timeout: not a manual re-entry$/, reentry: false },
    { name: 'written twice', data: { ehrBookings: [booked('a1'), booked('a2')], slotBookings: 2 }, status: 'fail', message: /one booking became 2 Appointments/, reentry: false },
    { name: 'wrong slot', data: { ehrBookings: [booked('a1', 'Slot/other')] }, status: 'fail', message: /not for the booked slot and patient: a manual re-entry/, reentry: true },
    { name: 'wrong patient', data: { ehrBookings: [booked('a1', 'Slot/s1', 'Patient/someone-else')] }, status: 'fail', message: /not for the booked slot and patient: a manual re-entry/, reentry: true },
    { name: 'the slot double-booked by someone else meanwhile', data: { slotBookings: 2 }, status: 'fail', message: /the slot now holds 2 active bookings/, reentry: false },
    { name: 'refused a free slot', data: { vendorStatus: 409, ehrBookings: [], slotBookings: 0 }, status: 'fail', message: /refused to book a slot the EHR holds as free \(HTTP 409\): a manual re-entry/, reentry: true },
    { name: 'a server error', data: { vendorStatus: 502, ehrBookings: [], slotBookings: 0 }, status: 'fail', message: /HTTP 502/, reentry: true },
  ];
  it.each(cases)('$name → $status', ({ data, status, message, reentry }) => {
    const [s, m, extra] = judgeWriteLands(write(data));
    expect(s).toBe(status);
    expect(m).toMatch(message);
    expect(extra).toEqual({ manualReentry: reentry });
    expect(m.includes('a manual re-entry for the buyer’s staff')).toBe(reentry);
  });
});

describe('judgeIdempotent', () => {
  const replay = (over: Partial<IdempotencyData>): IdempotencyData => ({ ...write({}), replayStatus: 200, ...over });
  const cases: Array<{ name: string; data: Partial<IdempotencyData>; status: string; message: RegExp }> = [
    { name: 'one booking after the replay', data: {}, status: 'pass', message: /exactly one Appointment in the EHR \(replay answered 200\)/ },
    { name: 'a cancelled duplicate does not count', data: { ehrBookings: [booked('a1'), booked('a2', 'Slot/s1', 'Patient/p1', 'cancelled')] }, status: 'pass', message: /exactly one/ },
    { name: 'an entered-in-error duplicate does not count', data: { ehrBookings: [booked('a1'), booked('a2', 'Slot/s1', 'Patient/p1', 'entered-in-error')] }, status: 'pass', message: /exactly one/ },
    { name: 'two bookings', data: { replayStatus: 201, ehrBookings: [booked('a1'), booked('a2')], slotBookings: 2 }, status: 'fail', message: /left 2 Appointments in the EHR \(replay answered 201\)/ },
    { name: 'none at all', data: { ehrBookings: [], slotBookings: 0 }, status: 'fail', message: /holds no Appointment for it/ },
    { name: 'one for the key, but two on the slot', data: { slotBookings: 2 }, status: 'fail', message: /^the key left one Appointment, but its slot now holds 2 active bookings in the EHR \(replay answered 200\)$/ },
  ];
  it.each(cases)('$name → $status', ({ data, status, message }) => {
    const [s, m] = judgeIdempotent(replay(data));
    expect(s).toBe(status);
    expect(m).toMatch(message);
  });
});

describe('judgeConflict', () => {
  const conflict = (over: Partial<ConflictData>): ConflictData => ({ slotId: 's1', blockedBy: 'slot-update', vendorStatus: 409, ehrBookings: [], slotBookings: 0, ...over });
  const cases: Array<{ name: string; data: Partial<ConflictData>; status: string; message: RegExp }> = [
    { name: '409', data: { vendorMessage: 'Slot/s1 is busy' }, status: 'pass', message: /^refused with HTTP 409 \(Slot\/s1 is busy\); nothing written$/ },
    { name: '412', data: { vendorStatus: 412 }, status: 'pass', message: /^refused with HTTP 412; nothing written$/ },
    { name: '422', data: { vendorStatus: 422 }, status: 'pass', message: /HTTP 422/ },
    { name: 'another 4xx', data: { vendorStatus: 400 }, status: 'warn', message: /HTTP 400 rather than 409\/412\/422/ },
    { name: 'written onto the busy slot', data: { vendorStatus: 201, ehrBookings: [booked('a1')], slotBookings: 1 }, status: 'fail', message: /wrote a booking onto a slot that was busy/ },
    { name: 'refused, yet written', data: { vendorStatus: 409, ehrBookings: [booked('a1')], slotBookings: 1 }, status: 'fail', message: /wrote a booking/ },
    { name: 'a cancelled booking is not a write', data: { ehrBookings: [booked('a1', 'Slot/s1', 'Patient/p1', 'cancelled')] }, status: 'pass', message: /refused/ },
    { name: 'confirmed without a write', data: { vendorStatus: 201 }, status: 'fail', message: /the patient believes they are booked/ },
    { name: 'queued', data: { vendorStatus: 202 }, status: 'fail', message: /accepted \(HTTP 202\) a booking on a busy slot/ },
    { name: 'a server error', data: { vendorStatus: 500 }, status: 'fail', message: /HTTP 500 rather than a clean refusal/ },
    { name: 'two others on the slot', data: { slotBookings: 2 }, status: 'fail', message: /now holds 2 active bookings/ },
  ];
  it.each(cases)('$name → $status', ({ data, status, message }) => {
    const [s, m] = judgeConflict(conflict(data));
    expect(s).toBe(status);
    expect(m).toMatch(message);
  });
});

describe('judgePatient', () => {
  it.each([
    { ehrPatients: 1, vendorStatus: 200, status: 'pass', message: /matched by identifier \(vendor answered 200\); the EHR holds one record/ },
    { ehrPatients: 2, vendorStatus: 201, status: 'fail', message: /created 1 duplicate record/ },
    { ehrPatients: 4, vendorStatus: 201, status: 'fail', message: /created 3 duplicate record/ },
    { ehrPatients: 0, vendorStatus: 201, status: 'error', message: /no longer holds the patient/ },
  ])('$ehrPatients record(s) → $status', ({ ehrPatients, vendorStatus, status, message }) => {
    const [s, m] = judgePatient({ identifier: 'urn:ehr-check:patient|run-1', vendorStatus, ehrPatients });
    expect(s).toBe(status);
    expect(m).toMatch(message);
  });
});

describe('judgeCertification', () => {
  const check = (state: ClaimCheck['state'], listingId = 'L-1', reason = `reason for ${listingId}`): ClaimCheck => ({ program: 'epic-showroom', listingId, state, reason });
  it.each([
    { claims: [check('verified')], buyerRuns: true, status: 'pass', message: /^verified: epic-showroom L-1$/ },
    { claims: [check('verified'), check('verified', 'L-2')], buyerRuns: true, status: 'pass', message: /L-1, epic-showroom L-2/ },
    { claims: [check('unverified')], buyerRuns: true, status: 'warn', message: /^claimed, not verified: reason for L-1$/ },
    { claims: [check('lapsed')], buyerRuns: false, status: 'fail', message: /^claimed certification not in force: reason for L-1$/ },
    { claims: [check('unverified'), check('lapsed', 'L-2')], buyerRuns: true, status: 'fail', message: /reason for L-2/ },
    { claims: [], buyerRuns: true, status: 'fail', message: /no certification is claimed for epic, a system the buyer runs/ },
    { claims: [], buyerRuns: false, status: 'skip', message: /which the buyer does not run/ },
  ])('$claims.length claim(s), buyer runs it: $buyerRuns → $status', ({ claims, buyerRuns, status, message }) => {
    const f = judgeCertification('epic', 'epic', buyerRuns, { claims, claimed: claims.length > 0 });
    expect(f).toMatchObject({ id: 'certification', connection: 'epic', status, evidence: { system: 'epic', claims } });
    expect(f.message).toMatch(message);
  });
});

describe('bidirectional.judge', () => {
  const cert = { claims: [], claimed: false };
  const requests = [{ method: 'GET', url: 'http://127.0.0.1:1/fhir/Slot', status: 200, durationMs: 3, at: '2030-01-07T07:00:00.000Z' }];

  it('turns skipped and errored probes into skip and error findings, keeping the reason and the requests', () => {
    const probes: BidirectionalEvidence = {
      connection: 'epic',
      writesAllowed: false,
      readThrough: { kind: 'error', error: { kind: 'timeout', message: 'the vendor did not answer within 20 s' }, requests },
      writeLands: { kind: 'skipped', reason: 'writes are off' },
      writeIdempotent: { kind: 'skipped', reason: 'writes are off' },
      conflictRefused: { kind: 'skipped', reason: 'writes are off' },
      patientMatched: { kind: 'skipped', reason: 'writes are off' },
    };
    const findings = bidirectional.judge({ connections: [{ key: 'epic', system: 'epic', buyerRuns: false, probes, certification: cert }] });
    expect(findings.map((f) => [f.id, f.status])).toEqual([
      ['read-through', 'error'],
      ['write-lands', 'skip'],
      ['write-idempotent', 'skip'],
      ['conflict-refused', 'skip'],
      ['patient-matched', 'skip'],
      ['certification', 'skip'],
    ]);
    expect(findings[0]).toMatchObject({ message: 'could not be probed: the vendor did not answer within 20 s', evidence: { error: { kind: 'timeout' }, requests } });
    expect(findings[1]!.message).toBe('writes are off');
  });

  it('keeps the evidence that decided a finding, with the requests behind it', () => {
    const probes: BidirectionalEvidence = {
      connection: 'epic#2',
      writesAllowed: true,
      readThrough: { kind: 'ok', data: { window, ehrFree: ['a'], vendorFree: ['a', 'x'] }, requests },
      writeLands: { kind: 'ok', data: write({}), requests },
      writeIdempotent: { kind: 'ok', data: { ...write({}), replayStatus: 200 }, requests },
      conflictRefused: { kind: 'ok', data: { slotId: 's2', blockedBy: 'slot-update', vendorStatus: 409, ehrBookings: [], slotBookings: 0 }, requests },
      patientMatched: { kind: 'ok', data: { identifier: 'urn:ehr-check:patient|k', vendorStatus: 200, ehrPatients: 1 }, requests },
    };
    const findings = bidirectional.judge({ connections: [{ key: 'epic#2', system: 'epic', buyerRuns: true, probes, certification: cert }] });
    expect(findings.every((f) => f.connection === 'epic#2')).toBe(true);
    expect(findings.map((f) => f.status)).toEqual(['fail', 'pass', 'pass', 'pass', 'pass', 'fail']);
    expect(findings[0]!.evidence).toEqual({ window, ehrFree: ['a'], vendorFree: ['a', 'x'], ehrFreeCount: 1, vendorFreeCount: 2, phantomSlots: ['x'], missingSlots: [], requests });
    expect(findings[1]!.evidence).toMatchObject({ slotId: 's1', vendorStatus: 201, slotBookings: 1, requests });
  });

  it('errors every probe finding of a connection that was not live, with the reason', () => {
    const findings = bidirectional.judge({ connections: [{ key: 'epic', system: 'epic', buyerRuns: true, notLiveReason: 'the EHR refused the connection', certification: cert }] });
    expect(findings.filter((f) => f.status === 'error').map((f) => f.message)).toEqual(Array(5).fill('not probed: the EHR refused the connection'));
    expect(findings.at(-1)).toMatchObject({ id: 'certification', status: 'fail' });
  });

  it('declares the six findings it judges', () => {
    expect(bidirectional.findings.map((f) => f.id)).toEqual(['read-through', 'write-lands', 'write-idempotent', 'conflict-refused', 'patient-matched', 'certification']);
  });
});
