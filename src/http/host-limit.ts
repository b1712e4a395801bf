// A bound on requests in flight to each host, shared by every client of one run. Concurrent freshness trials,
// several connections on one EHR and the vendor's facade all draw from the same bound, so however a run
// overlaps its probes, no host sees more than `maxInFlight` requests from it at once. A 429/503 with a wait
// pauses the whole host, not only the request that got it: the server asked this run to slow down.

export type Release = () => void;

interface HostState {
  active: number;
  waiting: Array<() => void>;
  pausedUntil: number;
  timer?: NodeJS.Timeout;
}

export class HostLimiter {
  private readonly hosts = new Map<string, HostState>();
  /** Hosts the plan lets take more than `maxInFlight` (a vendor the volume check books through at its concurrency). */
  private readonly raised = new Map<string, number>();
  readonly maxInFlight: number;

  constructor(maxInFlight: number) {
    this.maxInFlight = Math.max(1, Math.floor(maxInFlight));
  }

  /** Lets this host take up to `maxInFlight` requests at once, when that is more than the run's bound. */
  allow(host: string, maxInFlight: number): void {
    if (maxInFlight > this.limitOf(host)) this.raised.set(host, Math.floor(maxInFlight));
  }

  /** The bound on requests in flight to this host. */
  limitOf(host: string): number {
    return this.raised.get(host) ?? this.maxInFlight;
  }

  /** Waits for a free place on this host (first come, first served); call the returned function when done. */
  acquire(host: string): Promise<Release> {
    const state = this.state(host);
    return new Promise<Release>((resolve) => {
      state.waiting.push(() => {
        state.active += 1;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          state.active -= 1;
          this.drain(host, state);
        });
      });
      this.drain(host, state);
    });
  }

  /** Holds every new request to this host for `ms` (a server's Retry-After); requests in flight go on. */
  pause(host: string, ms: number): void {
    if (!(ms > 0)) return;
    const state = this.state(host);
    state.pausedUntil = Math.max(state.pausedUntil, performance.now() + ms);
  }

  /** Requests in flight to this host now. */
  inFlight(host: string): number {
    return this.hosts.get(host)?.active ?? 0;
  }

  private state(host: string): HostState {
    let state = this.hosts.get(host);
    if (!state) this.hosts.set(host, (state = { active: 0, waiting: [], pausedUntil: 0 }));
    return state;
  }

  private drain(host: string, state: HostState): void {
    const wait = state.pausedUntil - performance.now();
    if (wait > 0 && state.waiting.length > 0) {
      state.timer ??= setTimeout(() => {
        state.timer = undefined;
        this.drain(host, state);
      }, Math.ceil(wait));
      return;
    }
    while (state.active < this.limitOf(host) && state.waiting.length > 0) state.waiting.shift()!();
    // Forget idle hosts, so a run over hundreds of connections keeps no state for those it is done with.
    if (state.active === 0 && state.waiting.length === 0 && !state.timer && state.pausedUntil <= performance.now()) this.hosts.delete(host);
  }
}

/** The host (name and port) a URL's requests count against. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
