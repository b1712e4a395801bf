// What a person heard (or a script read) when asking a vendor's product which times are free, as slot starts. A
// person types clock times ("10:30, 11:00", "2:15 pm", "none"); a script may give ISO date-times, a list, or
// `{times: [...]}`/`{slots: [{start}]}`. A bare clock time is on the asked window's day at the schedule's UTC offset
// (the offset the step stated to the person), so "10:30" at `-05:00` is 15:30Z. Every time must fall inside the
// window asked about: anything else is a misreading, not a slot. Pure.
import { atOffset, localTime } from './local-time.js';
import { ReadingError } from './reading.js';

export interface HeardTime {
  /** The slot's start, as an ISO instant. */
  start: string;
}

const NONE = new Set(['none', 'no', 'nothing', '-', '']);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;
const CLOCK = /^(\d{1,2})(?:[:.h](\d{2})(?::00)?)?(am|pm)?$/i;

export function readVendorTimes(reading: unknown, window: { start: string; end: string }, offset: string): HeardTime[] {
  const day = localTime(window.start, offset).date;
  const starts = texts(reading).flatMap((text) => tokens(text)).map((token) => instantOf(token, day, offset));
  const from = Date.parse(window.start);
  const until = Date.parse(window.end);
  const outside = starts.filter((s) => Date.parse(s) < from || Date.parse(s) >= until);
  if (outside.length > 0) {
    const shown = outside.slice(0, 3).map((s) => localTime(s, offset).time).join(', ');
    throw new ReadingError(`${shown}: not within the stretch asked about (${localTime(window.start, offset).time} to ${localTime(window.end, offset).time} on ${day})`);
  }
  return [...new Set(starts)].sort().map((start) => ({ start }));
}

/** The pieces of text in a reading (a string, a list, `{times}`, `{slots: [{start}]}`). */
function texts(reading: unknown): string[] {
  if (typeof reading === 'string') return [reading];
  if (Array.isArray(reading)) return reading.flatMap((item) => (typeof item === 'object' && item !== null ? texts(item) : [String(item)]));
  if (reading !== null && typeof reading === 'object') {
    const doc = reading as Record<string, unknown>;
    if (typeof doc.start === 'string') return [doc.start];
    if (Array.isArray(doc.times)) return texts(doc.times);
    if (Array.isArray(doc.slots)) return texts(doc.slots);
  }
  throw new ReadingError('the reading is not times ("10:30, 11:00" or ISO date-times), a list of them, {times: [...]} or {slots: [{start}]}');
}

function tokens(text: string): string[] {
  const trimmed = text.trim();
  if (NONE.has(trimmed.toLowerCase())) return [];
  // "2:15 pm" is one time; "10:30 and 11:00" two.
  return trimmed
    .replace(/\s+(am|pm)\b/gi, '$1')
    .split(/[\s,;]+|\band\b/i)
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

function instantOf(token: string, day: string, offset: string): string {
  if (ISO.test(token)) return new Date(Date.parse(token)).toISOString().replace('.000Z', 'Z');
  const clock = CLOCK.exec(token);
  if (!clock) throw new ReadingError(`not a time: ${token.slice(0, 20)}`);
  let hour = Number(clock[1]);
  const minute = Number(clock[2] ?? '0');
  const half = clock[3]?.toLowerCase();
  if (half && (hour < 1 || hour > 12)) throw new ReadingError(`not a time: ${token}`);
  if (half === 'pm' && hour < 12) hour += 12;
  if (half === 'am' && hour === 12) hour = 0;
  if (hour > 23 || minute > 59) throw new ReadingError(`not a time: ${token}`);
  const pad = (n: number) => String(n).padStart(2, '0');
  return atOffset(day, `${pad(hour)}:${pad(minute)}`, offset);
}
