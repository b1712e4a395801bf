// What a plan gets when it leaves a setting out (DESIGN §3). The plan schema shows these as `default`s and
// the loader fills them in, so both read from here.

export const CHECK_DEFAULTS = {
  bidirectional: { weight: 40 },
  coverage: { weight: 30 },
  freshness: { weight: 30, trials: 5, timeoutSeconds: 120, realTimeSeconds: 5, nearRealTimeSeconds: 60 },
} as const;

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
