// Bidirectional and certified: does the vendor see what the EHR holds, does what it books land in the EHR
// exactly once, and is the integration certified for this EHR? Pure judgement of gathered evidence.
import type { ClaimCheck } from '../src/certification.js';
import type { Finding, FindingId } from '../src/model/report.js';
import type {
  ConflictData,
  IdempotencyData,
  PatientMatchData,
  ReadThroughData,
  WriteData,
} from '../src/probes/bidirectional.js';
import type { ProbeOutcome } from '../src/evidence.js';
import { COUNTED_AS_REENTRY, NOT_REENTRY, QUEUED_LANDED } from '../src/reentry.js';
import { accepted, vendorOutcome } from '../src/vendor/outcome.js';
import { certificationInput, type CertifiedConnection } from './certification-input.js';
import type { RunEvidence } from './evidence.js';
import { CHECK_CATALOG } from './catalog.js';
import { finding, titlesOf, type CheckDefinition } from './types.js';

export interface BidirectionalInput {
  connections: CertifiedConnection[];
}

const FINDINGS = CHECK_CATALOG.bidirectional.findings;
const TITLES: Record<string, string> = titlesOf(FINDINGS);

const REFUSALS = new Set([409, 412, 422]);

/** Turns a probe outcome into a finding: skip and error are decided here, the rest by `judge`. */
function fromOutcome<T>(id: FindingId, key: string, outcome: ProbeOutcome<T>, judge: (data: T) => [Finding['status'], string, Record<string, unknown>?]): Finding {
  if (outcome.kind === 'skipped') return finding(id, key, 'skip', TITLES[id]!, outcome.reason);
  if (outcome.kind === 'error') return finding(id, key, 'error', TITLES[id]!, `could not be probed: ${outcome.error.message}`, { error: outcome.error, requests: outcome.requests });
  const [status, message, extra] = judge(outcome.data);
  return finding(id, key, status, TITLES[id]!, message, { ...outcome.data, ...extra, requests: outcome.requests });
}

export function judgeReadThrough(d: ReadThroughData): [Finding['status'], string, Record<string, unknown>] {
  const vendor = new Set(d.vendorFree);
  const ehr = new Set(d.ehrFree);
  const phantom = d.vendorFree.filter((id) => !ehr.has(id));
  const missing = d.ehrFree.filter((id) => !vendor.has(id));
  const counts = { ehrFreeCount: d.ehrFree.length, vendorFreeCount: d.vendorFree.length, phantomSlots: phantom, missingSlots: missing };
  if (d.ehrFree.length === 0) return ['warn', 'the EHR shows no free slot in the probed window, so there was nothing to compare', counts];
  if (phantom.length > 0) return ['fail', `the vendor offers ${phantom.length} slot(s) the EHR holds as busy or absent: bookings on them would double-book`, counts];
  if (missing.length > 0) return ['warn', `the vendor does not show ${missing.length} of the EHR's ${d.ehrFree.length} free slot(s)`, counts];
  return ['pass', `the vendor shows exactly the EHR's ${d.ehrFree.length} free slot(s)`, counts];
}

/**
 * One booking through the vendor, judged by what the EHR holds. `manualReentry` says whether it falls under the
 * rule of src/reentry.ts (the cost panel counts exactly these), and the message says so in the same words.
 */
/**
 * The vendor's answer as a message quotes it: its HTTP status, or, for a vendor reached through a person (steps in
 * evidence), what the person was told — a person hears yes or no, not a status.
 */
function quoted(status: number, byPerson: boolean): string {
  if (!byPerson) return `HTTP ${status}`;
  return accepted(vendorOutcome(status)) ? 'the person was told yes' : 'the person was told no';
}

export function judgeWriteLands(d: WriteData): [Finding['status'], string, { manualReentry: boolean }] {
  const n = d.ehrBookings.length;
  const right = d.ehrBookings.filter((b) => b.slot === `Slot/${d.slotId}` && b.patient === `Patient/${d.patientId}`);
  const reentry = (message: string): [Finding['status'], string, { manualReentry: boolean }] => ['fail', `${message}: ${COUNTED_AS_REENTRY}`, { manualReentry: true }];
  const not = (status: Finding['status'], message: string): [Finding['status'], string, { manualReentry: boolean }] => [status, message, { manualReentry: false }];
  const outcome = d.vendorOutcome ?? vendorOutcome(d.vendorStatus);
  const said = quoted(d.vendorStatus, Boolean(d.vendorSteps?.length));
  if (!accepted(outcome)) return reentry(`the vendor refused to book a slot the EHR holds as free (${said})`);
  if (n === 0) return reentry(outcome === 'confirmed' ? `the vendor confirmed the booking (${said}) but the EHR holds no such Appointment` : `the booking was queued (HTTP ${d.vendorStatus}) and never reached the EHR within the timeout`);
  if (n > 1) return not('fail', `one booking became ${n} Appointments in the EHR`);
  if (right.length !== 1) return reentry('the Appointment in the EHR is not for the booked slot and patient');
  if (d.slotBookings > 1) return not('fail', `the slot now holds ${d.slotBookings} active bookings in the EHR`);
  if (outcome === 'queued') return not('warn', `the booking was only queued (HTTP ${d.vendorStatus}); after ${((d.queuedLandedAfterMs ?? 0) / 1000).toFixed(1)} s it ${QUEUED_LANDED}: ${NOT_REENTRY}`);
  return not('pass', `one Appointment in the EHR for the right slot and patient (${d.vendorSteps?.length ? said : `vendor answered ${d.vendorStatus}`})`);
}

export function judgeIdempotent(d: IdempotencyData): [Finding['status'], string] {
  const replay = d.vendorSteps?.length ? `asked again, ${quoted(d.replayStatus, true)}` : `replay answered ${d.replayStatus}`;
  const n = d.ehrBookings.filter((b) => b.status !== 'cancelled' && b.status !== 'entered-in-error').length;
  if (n === 1 && d.slotBookings <= 1) return ['pass', `the repeated booking left exactly one Appointment in the EHR (${replay})`];
  if (n === 0) return ['fail', 'after two bookings with the same key the EHR holds no Appointment for it'];
  if (n === 1) return ['fail', `the key left one Appointment, but its slot now holds ${d.slotBookings} active bookings in the EHR (${replay})`];
  const repeated = d.vendorSteps?.length ? 'the same request, made twice,' : 'repeating the same booking key';
  return ['fail', `${repeated} left ${n} Appointments in the EHR (${replay})`];
}

export function judgeConflict(d: ConflictData): [Finding['status'], string] {
  const written = d.ehrBookings.filter((b) => b.status !== 'cancelled').length;
  if (written > 0) return ['fail', `the vendor wrote a booking onto a slot that was busy in the EHR (the slot now holds ${d.slotBookings} active booking(s))`];
  if (d.slotBookings > 1) return ['fail', `the slot busy in the EHR now holds ${d.slotBookings} active bookings`];
  const outcome = d.vendorOutcome ?? vendorOutcome(d.vendorStatus);
  if (d.vendorSteps?.length && outcome === 'refused') return ['pass', `refused (${quoted(d.vendorStatus, true)}); nothing written`];
  if (outcome === 'confirmed') return ['fail', `the vendor confirmed (${quoted(d.vendorStatus, Boolean(d.vendorSteps?.length))}) a booking on a busy slot that the EHR does not hold: the patient believes they are booked`];
  if (outcome === 'queued') return ['fail', `the vendor accepted (HTTP ${d.vendorStatus}) a booking on a busy slot instead of refusing it`];
  if (REFUSALS.has(d.vendorStatus)) return ['pass', `refused with HTTP ${d.vendorStatus}${d.vendorMessage ? ` (${d.vendorMessage})` : ''}; nothing written`];
  if (outcome === 'refused') return ['warn', `refused, but with HTTP ${d.vendorStatus} rather than 409/412/422; nothing written`];
  return ['fail', `the vendor answered HTTP ${d.vendorStatus} rather than a clean refusal`];
}

export function judgePatient(d: PatientMatchData): [Finding['status'], string] {
  if (d.ehrPatients === 1 && !accepted(vendorOutcome(d.vendorStatus))) return ['warn', `the vendor refused to register the patient (HTTP ${d.vendorStatus}): no duplicate in the EHR, but no match either`];
  if (d.ehrPatients === 1 && d.vendorSteps?.length) return ['pass', `the patient was matched (${quoted(d.vendorStatus, true)}); the EHR holds one record under its identifier, name and birth date`];
  if (d.ehrPatients === 1) return ['pass', `the patient was matched by identifier (vendor answered ${d.vendorStatus}); the EHR holds one record`];
  if (d.ehrPatients > 1) return ['fail', `registering a patient the EHR already had created ${d.ehrPatients - 1} duplicate record(s)`];
  return ['error', 'the EHR no longer holds the patient the probe created'];
}

export function judgeCertification(key: string, system: string, buyerRuns: boolean, cert: { claims: ClaimCheck[]; claimed: boolean }): Finding {
  const title = TITLES.certification!;
  const evidence = { system, claims: cert.claims };
  if (cert.claims.length === 0) {
    return buyerRuns
      ? finding('certification', key, 'fail', title, `no certification is claimed for ${system}, a system the buyer runs`, evidence)
      : finding('certification', key, 'skip', title, `no certification is claimed for ${system}, which the buyer does not run`, evidence);
  }
  const lapsed = cert.claims.filter((c) => c.state === 'lapsed');
  const unverified = cert.claims.filter((c) => c.state === 'unverified');
  if (lapsed.length) return finding('certification', key, 'fail', title, `claimed certification not in force: ${lapsed.map((c) => c.reason).join('; ')}`, evidence);
  if (unverified.length) return finding('certification', key, 'warn', title, `claimed, not verified: ${unverified.map((c) => c.reason).join('; ')}`, evidence);
  return finding('certification', key, 'pass', title, `verified: ${cert.claims.map((c) => `${c.program} ${c.listingId}`).join(', ')}`, evidence);
}

export const bidirectional = {
  id: 'bidirectional',
  ...CHECK_CATALOG.bidirectional,
  needs: ['bidirectional'],
  input: (run: RunEvidence): BidirectionalInput => ({ connections: run.connections.map((c) => certificationInput(run, c)) }),
  judge(input: BidirectionalInput): Finding[] {
    return input.connections.flatMap((c) => {
      const cert = judgeCertification(c.key, c.system, c.buyerRuns, c.certification);
      if (!c.probes) {
        const why = c.notLiveReason ?? 'the connection is not live';
        const probeIds: FindingId[] = ['read-through', 'write-lands', 'write-idempotent', 'conflict-refused', 'patient-matched'];
        return [...probeIds.map((id) => finding(id, c.key, 'error', TITLES[id]!, `not probed: ${why}`)), cert];
      }
      const p = c.probes;
      return [
        fromOutcome('read-through', c.key, p.readThrough, judgeReadThrough),
        fromOutcome('write-lands', c.key, p.writeLands, judgeWriteLands),
        fromOutcome('write-idempotent', c.key, p.writeIdempotent, judgeIdempotent),
        fromOutcome('conflict-refused', c.key, p.conflictRefused, judgeConflict),
        fromOutcome('patient-matched', c.key, p.patientMatched, judgePatient),
        cert,
      ];
    });
  },
} as const satisfies CheckDefinition<BidirectionalInput>;
