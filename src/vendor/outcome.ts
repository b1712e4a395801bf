// What a vendor's answer to a write means, whatever kind of vendor gave it. Pure: the checks judge these
// outcomes, never a transport's status codes, and the HTTP status stays beside them as detail.
import type { OperationOutcome } from '@medplum/fhirtypes';

/**
 * `confirmed`: the vendor says the write is done. `queued`: taken for later entry (HTTP 202). `refused`: the
 * vendor said no (a 4xx). `failed`: no usable answer (a 5xx, a redirect, anything else).
 */
export type VendorOutcome = 'confirmed' | 'queued' | 'refused' | 'failed';

/** The one mapping from an HTTP answer to an outcome, used by the FHIR adapter and by every judgement. */
export function vendorOutcome(status: number): VendorOutcome {
  if (status === 202) return 'queued';
  if (status >= 200 && status < 300) return 'confirmed';
  if (status >= 400 && status < 500) return 'refused';
  return 'failed';
}

/** The vendor took the write, done or queued: not a refusal and not a failure. */
export const accepted = (outcome: VendorOutcome): boolean => outcome === 'confirmed' || outcome === 'queued';

/** A vendor's answer to a write: the outcome, and the detail it was read from. */
export interface VendorAnswer {
  outcome: VendorOutcome;
  /** The HTTP status of the answer (the report's `vendorStatus`). */
  status: number;
  /** The OperationOutcome the vendor explained itself with, when it sent one. */
  operationOutcome?: OperationOutcome;
  /** The id of the record the vendor made, when its answer names one. */
  id?: string;
}

/**
 * The answer's outcome for evidence, kept only where its HTTP status alone would say otherwise about whether the
 * vendor took the write (a REST API's `200 {status: "failed"}`). A 201 "pending" stays accepted: the EHR is read
 * until it holds the booking, and the lag findings time it.
 */
export function outcomeBeyondStatus(answer: VendorAnswer): { vendorOutcome?: VendorOutcome } {
  return accepted(answer.outcome) !== accepted(vendorOutcome(answer.status)) ? { vendorOutcome: answer.outcome } : {};
}
