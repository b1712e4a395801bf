// Times as a person at a vendor's product says and hears them: a weekday and a clock time in the schedule's own
// UTC offset ("Tue 10:30"), never an instant. The offset is the one the EHR's slots are written in (`Z`, `-05:00`);
// it is stated with every step, so a reading typed back ("10:30, 11:00") means one instant only. Pure.

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const OFFSET = /(Z|[+-]\d{2}:\d{2})$/;

/** The UTC offset an ISO date-time is written in, as `+hh:mm` (`Z` is `+00:00`); `+00:00` when it has none. */
export function offsetOf(iso: string | undefined): string {
  const found = iso ? OFFSET.exec(iso)?.[1] : undefined;
  return !found || found === 'Z' ? '+00:00' : found;
}

/** Minutes east of UTC of a `+hh:mm` offset. */
export function offsetMinutes(offset: string): number {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  if (!m) throw new Error(`not a UTC offset: ${offset}`);
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** How the offset is named to a person: "UTC", "UTC-05:00". */
export const offsetName = (offset: string): string => (offsetMinutes(offset) === 0 ? 'UTC' : `UTC${offset}`);

export interface LocalTime {
  /** "Tue" */
  weekday: string;
  /** "2026-12-01" */
  date: string;
  /** "Tue 1 Dec 2026" */
  dateText: string;
  /** "10:30" */
  time: string;
  hour: number;
}

/** An instant as a wall clock at `offset`. */
export function localTime(instant: string | number, offset: string): LocalTime {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  const d = new Date(ms + offsetMinutes(offset) * 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    weekday: DAYS[d.getUTCDay()]!,
    date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    dateText: `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`,
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
    hour: d.getUTCHours(),
  };
}

/** The instant of a wall clock (`date` YYYY-MM-DD, `hh:mm`) at `offset`, as ISO with that offset. */
export function atOffset(date: string, time: string, offset: string): string {
  const suffix = offsetMinutes(offset) === 0 ? 'Z' : offset;
  return new Date(Date.parse(`${date}T${time}:00${suffix}`)).toISOString().replace('.000Z', 'Z');
}

export type HalfDay = 'morning' | 'afternoon';

/**
 * The half-day a person asks about ("Tue morning"): the first weekday morning or afternoon at `offset` that starts
 * at or after `from` and ends by `until`. A person asks one such stretch at a time; undefined when none fits.
 */
export function nextHalfDay(from: string, until: string, offset: string): { start: string; end: string; part: HalfDay } | undefined {
  const shift = offsetMinutes(offset) * 60_000;
  const halfDay = 12 * 3_600_000;
  // Half-day boundaries at the offset: local midnight and noon.
  let start = Math.ceil((Date.parse(from) + shift) / halfDay) * halfDay - shift;
  const last = Date.parse(until);
  for (; start + halfDay <= last; start += halfDay) {
    const local = localTime(start, offset);
    if (local.weekday === 'Sat' || local.weekday === 'Sun') continue;
    const iso = (ms: number) => new Date(ms).toISOString();
    return { start: iso(start), end: iso(start + halfDay), part: local.hour < 12 ? 'morning' : 'afternoon' };
  }
  return undefined;
}
