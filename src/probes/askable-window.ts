// The stretch of the probed window both sides are compared over when the vendor is asked by a person, who asks
// about one half-day at a time ("Tue morning"): the first such half-day in which the EHR holds a free slot, so the
// person is not sent to ask about a fully booked morning. Where the EHR's free slots are read by a person too, the
// first half-day is taken as it is (reading the EHR's screen for a fortnight to choose would cost more than it saves).
import type { ConnectionContext } from '../context.js';
import { ehrFreeSlots } from '../ehr/ops.js';
import { slotsNeedAPerson } from '../ehr/person-steps.js';
import type { Window } from '../model/fhir.js';

/** At most this many half-days are tried (a fortnight of weekdays). */
const MAX_HALF_DAYS = 20;

export async function askableWindow(ctx: ConnectionContext, window: Window): Promise<Window> {
  const ask = ctx.vendor.askableWindow?.bind(ctx.vendor);
  if (!ask) return window;
  const first = ask(window);
  if (slotsNeedAPerson(ctx)) return first;
  const starts = (await ehrFreeSlots(ctx, window)).map((s) => Date.parse(s.start)).filter(Number.isFinite);
  let candidate = first;
  for (let i = 0; i < MAX_HALF_DAYS; i++) {
    const [from, until] = [Date.parse(candidate.start), Date.parse(candidate.end)];
    if (starts.some((t) => t >= from && t < until)) return candidate;
    if (until >= Date.parse(window.end)) break;
    const next = ask({ start: candidate.end, end: window.end });
    if (next.start === candidate.start || Date.parse(next.end) > Date.parse(window.end)) break;
    candidate = next;
  }
  return first;
}
