// What the vendor says became of the bookings it accepted as pending: followed by polling its status operation, or
// by the webhook events it posts to a loopback listener opened for the run. This is the vendor's own record only:
// whether a booking is in the EHR, and how long it took to get there, the probes read from the EHR.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BookingState } from './readers.js';

export interface TrackedBooking {
  key: string;
  vendorId: string;
  state: BookingState;
  /** The EHR's id of the booking, when the vendor's status gives it. */
  foreignId?: string;
}

/** How long a pending booking is followed at most; the freshness check's own timeouts are shorter. */
const FOLLOW_FOR_MS = 10 * 60_000;
const MAX_BODY = 256 * 1024;

export class FollowUps {
  private readonly byKey = new Map<string, TrackedBooking>();
  /** Events about a booking id not tracked yet: a vendor may post its webhook before its answer to the booking arrives. */
  private readonly early = new Map<string, { state: BookingState; foreignId?: string }>();
  private readonly stop = new AbortController();

  record(key: string): TrackedBooking | undefined {
    return this.byKey.get(key);
  }

  all(): TrackedBooking[] {
    return [...this.byKey.values()];
  }

  track(key: string, vendorId: string, state: BookingState): TrackedBooking {
    const told = this.early.get(vendorId);
    this.early.delete(vendorId);
    const booking: TrackedBooking = { key, vendorId, state: told?.state ?? state, ...(told?.foreignId && { foreignId: told.foreignId }) };
    this.byKey.set(key, booking);
    return booking;
  }

  /** What the vendor reported for one of its booking ids (a webhook event, a status read). */
  update(vendorId: string, state: BookingState, foreignId?: string): void {
    const matching = [...this.byKey.values()].filter((b) => b.vendorId === vendorId);
    if (matching.length === 0 && this.early.size < 1_000) this.early.set(vendorId, { state, ...(foreignId && { foreignId }) });
    for (const booking of matching) {
      booking.state = state;
      if (foreignId) booking.foreignId = foreignId;
    }
  }

  /** Polls `readStatus` until the booking is no longer pending, the follow-up time is up, or the channel closes. */
  poll(booking: TrackedBooking, intervalMs: number, readStatus: () => Promise<{ state?: BookingState; foreignId?: string }>): void {
    const deadline = Date.now() + FOLLOW_FOR_MS;
    const signal = this.stop.signal;
    void (async () => {
      while (booking.state === 'pending' && Date.now() < deadline && !signal.aborted) {
        await sleep(intervalMs, undefined, { signal }).catch(() => undefined);
        if (signal.aborted) return;
        // A failed read is tried again at the next turn: the vendor's status is not evidence, only its record.
        const read = await readStatus().catch(() => ({}) as { state?: BookingState; foreignId?: string });
        if (read.state) this.update(booking.vendorId, read.state, read.foreignId);
      }
    })();
  }

  close(): void {
    this.stop.abort();
  }
}

/** A loopback listener for the vendor's webhook events; `url` has a random path, so only the vendor told it posts there. */
export class WebhookListener {
  private server?: Server;
  private readonly path = `/ehr-check/hooks/${randomUUID()}`;
  url?: string;

  constructor(private readonly onEvent: (body: unknown) => Promise<void>) {}

  async open(): Promise<string> {
    if (this.url) return this.url;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY) chunks.push(chunk);
      });
      req.on('end', () => {
        const ours = req.method === 'POST' && req.url === this.path && size <= MAX_BODY;
        res.writeHead(ours ? 204 : 404).end();
        if (!ours) return;
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return; // not JSON: not an event
        }
        void this.onEvent(body).catch(() => undefined);
      });
      req.on('error', () => res.destroy());
    });
    server.on('clientError', (_e, socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${this.path}`;
    return this.url;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }
}
