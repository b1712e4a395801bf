// Runs one operator step while looking at the EHR (and the vendor) through their APIs, so a person's change
// can be placed in time (see timing.ts) and a vendor that shows it before the person confirms is not missed.
import { monotonicNow, sleep } from '../timing.js';
import type { Observation } from '../freshness/lag.js';
import type { Operator, OperatorResult, OperatorStep } from './types.js';

/** One look: does it show the state before the change (`old`) or after (`new`)? */
export type Look = () => Promise<'old' | 'new'>;

export interface ObservedStep {
  result: OperatorResult;
  ehr: Observation[];
  vendor: Observation[];
  /** Whether the EHR's API showed the change (after a `done` step). */
  ehrShowed: boolean;
}

export interface ObserveOptions {
  signal?: AbortSignal;
  /** First wait between looks (ms); it grows to `maxPollMs` while the person works. */
  firstPollMs?: number;
  maxPollMs?: number;
  /** After a confirmation, how long the EHR is still looked at for the change to show (ms). */
  settleMs?: number;
}

async function look(at: Look): Promise<Observation> {
  const sentAt = monotonicNow();
  const shows = await at().catch(() => 'unreadable' as const);
  return { sentAt, answeredAt: monotonicNow(), shows };
}

export async function performObserved(
  operator: Operator,
  step: OperatorStep,
  looks: { ehr?: Look; vendor?: Look },
  options: ObserveOptions = {},
): Promise<ObservedStep> {
  const ehr: Observation[] = [];
  const vendor: Observation[] = [];
  const seenInEhr = () => ehr.some((o) => o.shows === 'new');
  let result: OperatorResult | undefined;
  const asking = operator.perform(step, options.signal).then((r) => (result = r));

  let delay = options.firstPollMs ?? 100;
  const maxDelay = options.maxPollMs ?? 500;
  while (result === undefined && !options.signal?.aborted) {
    const [e, v] = await Promise.all([looks.ehr && !seenInEhr() ? look(looks.ehr) : undefined, looks.vendor ? look(looks.vendor) : undefined]);
    if (e) ehr.push(e);
    if (v) vendor.push(v);
    if (result !== undefined) break;
    await Promise.race([sleep(delay, options.signal), asking]);
    delay = Math.min(maxDelay, Math.round(delay * 1.5));
  }
  const final = await asking;

  // The person says it is done: look at the EHR until its API shows it too (bounded), placing the change.
  if (final.outcome === 'done' && looks.ehr) {
    const deadline = monotonicNow() + (options.settleMs ?? 10_000);
    let wait = 50;
    while (!seenInEhr() && !options.signal?.aborted) {
      ehr.push(await look(looks.ehr));
      if (seenInEhr() || monotonicNow() >= deadline) break;
      await sleep(wait, options.signal);
      wait = Math.min(500, wait * 2);
    }
  }
  return { result: final, ehr, vendor, ehrShowed: seenInEhr() };
}
