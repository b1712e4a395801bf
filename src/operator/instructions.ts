// The plain words of each step, as a person at the EHR's screens needs them: which slot (day, time, schedule)
// and what to do with it. Times are shown in UTC, the clock the slot's start is given in. Pure.
import { isVendorStep, type EHR_STEP_KINDS, type OperatorStep } from './types.js';
import { vendorInstruction, vendorRequest } from './vendor-instructions.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Tue 1 Dec 2026 10:30 UTC"; the text as given when it is not a date. */
export function whenText(iso: string | undefined): string {
  const at = iso === undefined ? Number.NaN : Date.parse(iso);
  if (!Number.isFinite(at)) return iso || 'an unknown time';
  const d = new Date(at);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${hh}:${mm} UTC`;
}

const scheduleName = (schedule: string | undefined) => (schedule ? `schedule ${schedule.replace(/^Schedule\//, '')}` : 'the probed schedule');

function slotText(step: Pick<OperatorStep, 'slot' | 'schedule'>): string {
  const slot = step.slot;
  if (!slot) return 'the slot';
  if (!slot.start) return `Slot ${slot.id} of ${scheduleName(step.schedule)}`;
  return `the ${whenText(slot.start)} slot of ${scheduleName(step.schedule)} (Slot ${slot.id})`;
}

const WORDS: Record<(typeof EHR_STEP_KINDS)[number], (step: Omit<OperatorStep, 'instruction'>) => string> = {
  'block-slot': (s) => `Block ${slotText(s)} so that it cannot be booked, then confirm.`,
  'free-slot': (s) => `Unblock ${slotText(s)} so that it can be booked again, then confirm.`,
  'book-slot': (s) =>
    `Book ${slotText(s)} for the synthetic test patient ${s.patient ?? '(the run’s test patient)'}${s.key ? `, with booking reference ${s.key}` : ''}, then confirm.`,
  cancel: (s) =>
    s.appointment
      ? `Cancel Appointment ${s.appointment} on ${slotText(s)}, then confirm.`
      : `Cancel the appointments of the synthetic test patient ${s.patient ?? '(the run’s test patient)'} on ${slotText(s)} (if there are any), then confirm.`,
  'count-bookings': (s) =>
    `Open ${slotText(s)} and count the appointments booked on it (cancelled ones do not count): how many are for the synthetic test patient ${s.patient ?? '(the run’s test patient)'}, and how many in all?`,
  'read-free-slots': (s) =>
    `Open ${scheduleName(s.schedule)} from ${whenText(s.window?.start)} to ${whenText(s.window?.end)} and list the ids of the slots it shows as free.`,
};

export function instructionFor(step: Omit<OperatorStep, 'instruction'>): string {
  const kind = step.kind;
  return isVendorStep(kind) ? vendorInstruction({ ...step, kind }) : WORDS[kind](step);
}

/** Builds a step with its instruction written from its own facts (and, at a vendor's product, the request to make). */
export function makeStep(step: Omit<OperatorStep, 'instruction'>): OperatorStep {
  const kind = step.kind;
  const request = isVendorStep(kind) ? { request: vendorRequest({ ...step, kind }) } : {};
  return { ...step, ...request, instruction: instructionFor(step) };
}
