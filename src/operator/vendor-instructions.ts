// The plain words of a step at the vendor's product, as a person calling, texting or chatting needs them: "Call
// +1 555 0100 and book Dr. Lee, Tue 10:30, for the test patient Ehrcheck Test 4F2A, born 1990-01-01; then confirm."
// And the request itself, as one would say or type it to the product (what a script sends). Pure.
import { localTime, offsetName, type LocalTime } from './local-time.js';
import type { OperatorStep, VendorChannelAddress, VendorStepKind } from './types.js';

type Facts = Omit<OperatorStep, 'instruction'>;

const who = (s: Facts) => s.practitioner ?? `the schedule ${s.schedule?.replace(/^Schedule\//, '') ?? '(the probed one)'}`;
const patient = (s: Facts) => (s.person ? `${s.person.name}, born ${s.person.birthDate}` : '(the run’s test patient)');
const offset = (s: Facts) => s.utcOffset ?? '+00:00';
const at = (iso: string | undefined, s: Facts): LocalTime | undefined => (iso && Number.isFinite(Date.parse(iso)) ? localTime(iso, offset(s)) : undefined);

/** "Call +1 555 0100 and", "Open the chat at URL and", ... */
function reach(channel: VendorChannelAddress | undefined): { start: string; ask: string } {
  const address = channel?.address ?? '(the vendor’s product)';
  switch (channel?.type) {
    case 'phone':
      return { start: `Call ${address}`, ask: 'ask' };
    case 'sms':
      return { start: `Text ${address}`, ask: 'ask' };
    case 'chat':
      return { start: `Open the chat at ${address}`, ask: 'ask' };
    case 'web':
    default:
      return { start: `Open ${address}`, ask: 'look up' };
  }
}

/** "Tue morning", "Wed afternoon", from the window a person is asked to read. */
function halfDayText(s: Facts): { text: string; local?: LocalTime } {
  const local = at(s.window?.start, s);
  if (!local) return { text: 'the coming days' };
  return { text: `${local.weekday} ${local.hour < 12 ? 'morning' : 'afternoon'}`, local };
}

const zoneNote = (local: LocalTime | undefined, s: Facts) => (local ? ` (Times are ${offsetName(offset(s))}; ${local.weekday} is ${local.dateText}.)` : '');

const WORDS: Record<VendorStepKind, (s: Facts) => string> = {
  'vendor-book': (s) => {
    const { start } = reach(s.vendor);
    const local = at(s.slot?.start, s);
    const when = local ? `${local.weekday} ${local.time}` : 'the slot';
    const verb = s.vendor?.type === 'phone' || s.vendor?.type === 'web' ? 'book' : 'ask to book';
    return `${start} and ${verb} ${who(s)}, ${when}, for the test patient ${patient(s)}; then confirm.${zoneNote(local, s)}`;
  },
  'vendor-read-free-slots': (s) => {
    const { start, ask } = reach(s.vendor);
    const { text, local } = halfDayText(s);
    return `${start}, ${ask} which times are free with ${who(s)} on ${text} and enter them.${zoneNote(local, s)}`;
  },
  'vendor-register-patient': (s) => {
    const { start } = reach(s.vendor);
    const verb = s.vendor?.type === 'phone' || s.vendor?.type === 'web' ? 'register' : 'ask to register';
    return `${start} and ${verb} the test patient ${patient(s)}, as a patient; then confirm.`;
  },
};

export function vendorInstruction(step: Facts & { kind: VendorStepKind }): string {
  return WORDS[step.kind](step);
}

/** The request as typed into the product's chat or said on the phone, with the date and offset spelt out. */
export function vendorRequest(step: Facts & { kind: VendorStepKind }): string {
  const zone = offsetName(offset(step));
  switch (step.kind) {
    case 'vendor-book': {
      const local = at(step.slot?.start, step);
      const when = local ? `on ${local.date} at ${local.time} ${zone}` : 'at the first free time';
      return `Please book ${who(step)} ${when} for ${patient(step)}.`;
    }
    case 'vendor-read-free-slots': {
      const { local } = halfDayText(step);
      const part = local ? `on ${local.date} in the ${local.hour < 12 ? 'morning' : 'afternoon'} (${zone})` : 'in the coming days';
      return `Which times are free with ${who(step)} ${part}?`;
    }
    case 'vendor-register-patient':
      return `Please register a new patient: ${patient(step)}.`;
  }
}
