// The vendor's freshness claim against the measured class. A claim is a promise of "at least this fresh":
// measuring worse than promised is a failure in its own right, whatever the class alone would score.
import type { FreshnessClaim as ClaimedFreshness, Mechanism } from '../src/model/plan.js';
import type { LagEvidence } from '../src/model/report.js';
import type { ChangeNotificationContext } from '../src/probes/freshness/types.js';

/** What the manifest says for one system: `freshness` and `mechanism` (docs/plan-and-manifest.md). */
export interface FreshnessClaim {
  freshness?: ClaimedFreshness;
  mechanism?: Mechanism;
}

const PROMISE_RANK: Record<ClaimedFreshness, number> = { 'real-time': 0, 'near-real-time': 1, delayed: 2, batch: 3 };
const MEASURED_RANK: Record<LagEvidence['class'], number> = { 'real-time': 0, 'near-real-time': 1, delayed: 2, stale: 3 };

/** The freshness a mechanism promises when the manifest names only the mechanism. */
const MECHANISM_PROMISE: Record<Mechanism, ClaimedFreshness> = {
  'fhir-subscription': 'real-time',
  hl7v2: 'real-time',
  polling: 'near-real-time',
  batch: 'batch',
  manual: 'batch',
};

export interface ClaimComparison {
  /** "claims real-time by fhir-subscription": set when the measurement is worse than the claim. */
  mismatch?: string;
  /** Context for the message: "as claimed", "better than claimed", a mechanism the EHR cannot offer. */
  notes: string[];
}

export function claimVersusMeasured(claim: FreshnessClaim | undefined, measured: LagEvidence['class'], context?: ChangeNotificationContext): ClaimComparison {
  const notes: string[] = [];
  if (!claim) return { notes };
  const { freshness, mechanism } = claim;
  if (mechanism === 'fhir-subscription' && context && !context.subscriptionResource && !context.topicBased) {
    notes.push("the vendor names FHIR Subscription, but the EHR's CapabilityStatement offers none");
  }
  const promised = freshness ?? (mechanism ? MECHANISM_PROMISE[mechanism] : undefined);
  if (!promised) return { notes };
  const claimed = freshness ? `claims ${freshness}${mechanism ? ` by ${mechanism}` : ''}` : `claims ${mechanism}, which means ${promised}`;
  if (MEASURED_RANK[measured] > PROMISE_RANK[promised]) return { mismatch: claimed, notes };
  notes.push(MEASURED_RANK[measured] < PROMISE_RANK[promised] ? `better than the ${promised} claimed` : `as claimed`);
  return { notes };
}
