// What counts as a manual re-entry: one rule, in the words the findings and the cost panel both use. Pure.
//
// The evidence ehr-check has is what the EHR holds and when. It can show that a booking the vendor took never
// reached the EHR (so the buyer's staff must key it in), and that one the vendor queued (HTTP 202) reached the EHR
// within the timeout without anyone on the buyer's side doing a thing. It cannot show who at the vendor, if
// anyone, worked the vendor's queue: that is the vendor's cost, not the buyer's. So a queued booking that landed
// is not a manual re-entry; its delay is measured as lag, and its risk is priced as double-bookings.
import type { LagSample } from './model/report.js';
import { accepted, vendorOutcome } from './vendor/outcome.js';

/** Said of a booking that counts: the buyer's staff must key it into the EHR themselves. */
export const COUNTED_AS_REENTRY = 'a manual re-entry for the buyer’s staff';

/** Said of a booking the vendor queued (HTTP 202) that the EHR then held. */
export const QUEUED_LANDED = 'reached the EHR by itself within the timeout';

export const NOT_REENTRY = 'not a manual re-entry';

/** The rule itself, as the cost panel's basis states it. */
export const REENTRY_RULE =
  `a booking through the vendor is ${COUNTED_AS_REENTRY} when the EHR did not hold it within the timeout ` +
  '(the vendor refused a free slot, never wrote it, wrote it for the wrong slot or patient, or left it queued); ' +
  `one queued with HTTP 202 that ${QUEUED_LANDED} is ${NOT_REENTRY}`;

/** How the vendor → EHR trials fall under the rule. */
export interface TrialReentries {
  /** Bookings tried through the vendor. */
  attempted: number;
  /** Of those, not in the EHR within the timeout: refused, or never seen. */
  reentries: number;
  /** Of those, queued with HTTP 202 and seen in the EHR within the timeout. */
  queuedLanded: number;
}

/**
 * The vendor → EHR trials under the rule. A refused booking (no sample) and a censored sample count; a booking
 * seen in the EHR within the timeout, queued or not, does not.
 */
export function trialReentries(samples: readonly LagSample[], vendorStatuses: readonly number[] = []): TrialReentries {
  const refused = vendorStatuses.filter((s) => !accepted(vendorOutcome(s))).length;
  const attempted = Math.max(samples.length + refused, vendorStatuses.length);
  const landed = samples.filter((s) => !s.censored);
  return {
    attempted,
    reentries: attempted - landed.length,
    queuedLanded: landed.filter((s) => s.change === 'book-queued').length,
  };
}

/** The note a vendor → EHR lag finding carries under the rule, or none when no booking falls under it. */
export function trialReentryNotes(t: TrialReentries, timeoutSeconds: number): string[] {
  const notes: string[] = [];
  if (t.reentries > 0) notes.push(`${t.reentries} of ${t.attempted} booking(s) not in the EHR within ${timeoutSeconds} s: each ${COUNTED_AS_REENTRY}`);
  if (t.queuedLanded > 0) notes.push(`${t.queuedLanded} booking(s) queued with HTTP 202: each ${QUEUED_LANDED}, ${NOT_REENTRY}`);
  return notes;
}
