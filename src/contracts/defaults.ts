// What a plan gets when it leaves a setting out (docs: the plan). The plan schema shows these as `default`s and
// the loader fills them in, so both read from here; each check's own defaults live in its definition.

export { CHECK_DEFAULTS } from '../../checks/index.js';

/** The optional parts of `buyer.volumes`, and what the cost panel assumes without them. */
export const VOLUME_DEFAULTS = {
  /** Staff minutes to find, call and rebook one double-booked patient. */
  minutesPerDoubleBooking: 20,
} as const;

/**
 * How hard a run may press any one host. Six requests in flight per host is what browsers allow one site, and it
 * is shared by everything the run does at once (every connection, concurrent freshness trials, cleanup).
 */
export const LIMIT_DEFAULTS = { requestsPerHost: 6 } as const;
