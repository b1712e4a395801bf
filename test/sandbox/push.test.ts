// rest-hook push: a loopback receiver gets a Backport-style notification after a slot is blocked through the
// staff console and after an Appointment is created through FHIR; non-loopback endpoints are refused, and a
// dead endpoint never blocks the EHR.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../fixtures/sandbox/index.js';
import { booking, call, firstFreeSlot } from './client.js';

const CONTENT = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content';

class Receiver {
  readonly bundles: any[] = [];
  private waiters: (() => void)[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let text = '';
      req.on('data', (d) => (text += d));
      req.on('end', () => {
        this.bundles.push(JSON.parse(text));
        res.writeHead(200).end();
        for (const wake of this.waiters.splice(0)) wake();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** Waits (at most 10 s) for a notification that satisfies `test`. */
  async waitFor(test: (bundle: any) => boolean): Promise<any> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = this.bundles.find(test);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching notification among ${this.bundles.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 250);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const statusOf = (bundle: any) => bundle.entry[0].resource;
const param = (status: any, name: string) => status.parameter.find((p: any) => p.name === name);
const focusOf = (bundle: any) => param(statusOf(bundle), 'notification-event')?.part.find((p: any) => p.name === 'focus')?.valueReference.reference;

let sandbox: RunningSandbox;
let receiver: Receiver;
let scheduleId: string;

beforeAll(async () => {
  receiver = new Receiver();
  await receiver.start();
  sandbox = await startSandbox({ seed: 21 });
  scheduleId = sandbox.seeded.scheduleIds[0];
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

function subscription(criteria: string, content?: 'id-only' | 'full-resource', endpoint = receiver.url) {
  return {
    resourceType: 'Subscription',
    status: 'requested',
    reason: 'ehr-check push test',
    criteria,
    channel: {
      type: 'rest-hook',
      endpoint,
      ...(content ? { payload: 'application/fhir+json', _payload: { extension: [{ url: CONTENT, valueCode: content }] } } : {}),
    },
  };
}

describe('rest-hook subscriptions', () => {
  it('activates a subscription, says hello with a handshake, and notifies when the staff console blocks a slot', async () => {
    const made = await call(`${sandbox.fhirBaseUrl}/Subscription`, { method: 'POST', body: subscription(`Slot?schedule=Schedule/${scheduleId}`, 'full-resource') });
    expect(made.status).toBe(201);
    expect(made.body.status).toBe('active');
    const subscriptionRef = `${sandbox.fhirBaseUrl}/Subscription/${made.body.id}`;
    const mine = (b: any) => param(statusOf(b), 'subscription').valueReference.reference === subscriptionRef;
    await receiver.waitFor((b) => mine(b) && param(statusOf(b), 'type').valueCode === 'handshake');

    const slot = await firstFreeSlot(sandbox.fhirBaseUrl, scheduleId);
    const blocked = await call(`${sandbox.staffUrl}/slots/${slot.id}/block`, { method: 'POST' });
    expect(blocked.status).toBe(200);
    const note = await receiver.waitFor((b) => mine(b) && focusOf(b) === `Slot/${slot.id}`);
    expect(note.resourceType).toBe('Bundle');
    expect(note.type).toBe('history');
    expect(param(statusOf(note), 'type').valueCode).toBe('event-notification');
    expect(Number(param(statusOf(note), 'events-since-subscription-start').valueString)).toBeGreaterThanOrEqual(1);
    expect(note.entry[1].resource).toMatchObject({ resourceType: 'Slot', id: slot.id, status: 'busy-unavailable' });
  });

  it('notifies an Appointment subscription (id-only) after an Appointment is created', async () => {
    const made = await call(`${sandbox.fhirBaseUrl}/Subscription`, { method: 'POST', body: subscription('Appointment', 'id-only') });
    expect(made.status).toBe(201);
    const slot = await firstFreeSlot(sandbox.fhirBaseUrl, scheduleId);
    const appointment = await call(`${sandbox.fhirBaseUrl}/Appointment`, { method: 'POST', body: booking(slot, sandbox.seeded.patientIds[0]) });
    expect(appointment.status).toBe(201);
    const note = await receiver.waitFor((b) => focusOf(b) === `Appointment/${appointment.body.id}`);
    expect(note.entry[1].fullUrl).toBe(`${sandbox.fhirBaseUrl}/Appointment/${appointment.body.id}`);
    expect(note.entry[1].resource).toBeUndefined();
    // The booking also changed the slot, which the first subscription watches.
    await receiver.waitFor((b) => focusOf(b) === `Slot/${slot.id}`);
  });

  it('accepts a backport topic from /metadata with filter criteria', async () => {
    const statement = (await call(`${sandbox.fhirBaseUrl}/metadata`)).body;
    const topics = statement.extension.map((e: any) => e.valueCanonical);
    const topic = topics.find((t: string) => t.includes('slot'));
    const scheduleB = sandbox.seeded.scheduleIds[1];
    const body = {
      ...subscription(topic, 'full-resource'),
      _criteria: { extension: [{ url: 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-filter-criteria', valueString: `Slot?schedule=Schedule/${scheduleB}` }] },
    };
    const made = await call(`${sandbox.fhirBaseUrl}/Subscription`, { method: 'POST', body });
    expect(made.status).toBe(201);
    const slot = await firstFreeSlot(sandbox.fhirBaseUrl, scheduleB);
    expect((await call(`${sandbox.staffUrl}/slots/${slot.id}/block`, { method: 'POST' })).status).toBe(200);
    const mine = `${sandbox.fhirBaseUrl}/Subscription/${made.body.id}`;
    const note = await receiver.waitFor((b) => param(statusOf(b), 'subscription').valueReference.reference === mine && focusOf(b) === `Slot/${slot.id}`);
    expect(param(statusOf(note), 'topic').valueCanonical).toBe(topic);
  });

  it('refuses an endpoint that is not on loopback with 422 and an OperationOutcome', async () => {
    const answer = await call(`${sandbox.fhirBaseUrl}/Subscription`, { method: 'POST', body: subscription('Appointment', 'id-only', 'https://example.com/hook') });
    expect(answer.status).toBe(422);
    expect(answer.body.resourceType).toBe('OperationOutcome');
  });

  it('keeps booking at full speed while a subscribed endpoint is dead, and closes promptly', async () => {
    const dead = new Receiver();
    await dead.start();
    await dead.close(); // the port is now closed: every delivery fails and is retried
    const lonely = await startSandbox({ seed: 22 });
    try {
      const made = await call(`${lonely.fhirBaseUrl}/Subscription`, { method: 'POST', body: subscription('Appointment', 'id-only', dead.url) });
      expect(made.status).toBe(201);
      for (let n = 0; n < 3; n++) {
        const slot = await firstFreeSlot(lonely.fhirBaseUrl, lonely.seeded.scheduleIds[0]);
        expect((await call(`${lonely.fhirBaseUrl}/Appointment`, { method: 'POST', body: booking(slot, lonely.seeded.patientIds[n]) })).status).toBe(201);
      }
    } finally {
      await lonely.close();
    }
  });

  it('is not offered where the flavor’s statement has no Subscription', async () => {
    const epic = await startSandbox({ flavor: 'epic', seed: 23 });
    try {
      const answer = await call(`${epic.fhirBaseUrl}/Subscription`, { method: 'POST', body: subscription('Appointment', 'id-only') });
      expect(answer.status).toBe(404);
    } finally {
      await epic.close();
    }
  });
});
