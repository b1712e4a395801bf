// When did a person's change happen? Pure lag maths for operator-assisted trials.
//
// A change made by API commits inside its own request. A change made by a person commits somewhere between the
// moment they were asked and the moment they confirmed: c ∈ [asked, confirmed]. That whole span is the change's
// "request", so the lag interval of src/freshness/lag.ts widens by it (a person who takes 40 s to confirm leaves
// up to ±20 s of doubt). The EHR's own API can narrow it: polled while the person works, a look showing the old
// state means c > look.sentAt, and one showing the new state means c ≤ look.answeredAt (the EHR is the record of
// truth: what it holds, its API shows). So c ∈ [max(asked, lastOld.sentAt), min(confirmed, firstNew.answeredAt)].
import type { ChangeTiming, Observation } from '../freshness/lag.js';

export interface PersonChangeTiming extends ChangeTiming {
  /** The span the person took, asked to confirmed (ms). */
  askedSpanMs: number;
  /** Whether the EHR's API narrowed the span. */
  narrowedByEhr: boolean;
}

export function personChangeTiming(askedAt: number, confirmedAt: number, ehr: readonly Observation[] = []): PersonChangeTiming {
  const asked = Math.min(askedAt, confirmedAt);
  const confirmed = Math.max(askedAt, confirmedAt);
  const timeline = [...ehr].filter((o) => o.shows !== 'unreadable').sort((a, b) => a.sentAt - b.sentAt);
  const firstNew = timeline.find((o) => o.shows === 'new');
  const lastOld = timeline.filter((o) => o.shows === 'old' && (!firstNew || o.sentAt < firstNew.sentAt)).pop();
  const low = Math.max(asked, lastOld?.sentAt ?? -Infinity);
  const high = Math.min(confirmed, firstNew?.answeredAt ?? Infinity);
  const base = { askedSpanMs: Math.round(confirmed - asked) };
  // Looks that contradict the person's span (the change seen before they were asked) say nothing reliable.
  if (low > high) return { sentAt: asked, answeredAt: confirmed, ...base, narrowedByEhr: false };
  return { sentAt: low, answeredAt: high, ...base, narrowedByEhr: low > asked || high < confirmed };
}
