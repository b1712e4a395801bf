// The reference REST vendor on its own, with plain fetch: the API a mapping describes. A booking is accepted as
// pending (201, foreign_id null) and reaches the EHR later; its status, its record by ref and the webhook follow.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchEhr } from '../helpers/ehr-truth.js';
import { startRestWorld, type RestWorld } from './world.js';

let world: RestWorld;
beforeAll(async () => {
  world = await startRestWorld({ writeDelayMs: 200 });
});
afterAll(async () => world?.close());

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${world.vendor.baseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('the reference REST vendor', () => {
  it('lists free slots by provider and days, matching the EHR’s', async () => {
    const slots = await api('GET', `/appointment_slots?provider_id=${world.scheduleId}&start_date=${day(1)}&end_date=${day(2)}`);
    expect(slots.status).toBe(200);
    const ehr = await searchEhr<{ start: string }>(world.sandbox.fhirBaseUrl, 'Slot', { schedule: `Schedule/${world.scheduleId}`, status: 'free', start: `ge${day(1)}` });
    const inDays = ehr.filter((s) => s.start < `${day(3)}`).map((s) => Date.parse(s.start)).sort();
    expect(slots.body.data.map((s: { start_time: string }) => Date.parse(s.start_time)).sort()).toEqual(inDays);
    expect((await api('GET', '/appointment_slots')).status).toBe(400);
  });

  it('accepts a booking as pending, writes it to the EHR later, and tells its webhook', async () => {
    const events: any[] = [];
    const hook = createServer((req, res) => {
      let text = '';
      req.on('data', (c) => (text += c));
      req.on('end', () => (events.push(JSON.parse(text)), res.writeHead(204).end()));
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    try {
      const registered = await api('POST', '/webhook_endpoints', { target_url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/events` });
      expect(registered.status).toBe(201);
      expect((await api('POST', '/webhook_endpoints', { target_url: 'http://example.com/events' })).status).toBe(422);

      const [slot] = (await api('GET', `/appointment_slots?provider_id=${world.scheduleId}&start_date=${day(2)}&end_date=${day(2)}`)).body.data;
      const [patient] = await searchEhr<{ id: string }>(world.sandbox.fhirBaseUrl, 'Patient', {});
      const booked = await api('POST', '/appointments', { patient_id: patient!.id, provider_id: world.scheduleId, start_time: slot.start_time, ref: 'rest-vendor-test-1' });
      expect(booked.status).toBe(201);
      expect(booked.body.data).toMatchObject({ status: 'pending', foreign_id: null, ref: 'rest-vendor-test-1' });
      const identifier = 'urn:ehr-check:booking|rest-vendor-test-1';
      expect(await searchEhr(world.sandbox.fhirBaseUrl, 'Appointment', { identifier })).toEqual([]);

      const deadline = Date.now() + 5_000;
      let status = booked.body.data;
      while (status.status === 'pending' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        status = (await api('GET', `/appointments/${booked.body.data.id}`)).body.data;
      }
      expect(status.status).toBe('complete');
      const [inEhr] = await searchEhr<{ id: string; status: string }>(world.sandbox.fhirBaseUrl, 'Appointment', { identifier });
      expect(status.foreign_id).toBe(inEhr!.id);
      expect((await api('GET', '/appointments?ref=rest-vendor-test-1')).body.data.map((a: { id: string }) => a.id)).toEqual([booked.body.data.id]);
      while (events.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(events[0]).toMatchObject({ event: 'appointment_insertion.complete', data: { appointment: { id: booked.body.data.id, foreign_id: inEhr!.id } } });

      // The same request again is the same appointment; the slot, now busy, is refused to anyone else.
      expect((await api('POST', '/appointments', { patient_id: patient!.id, provider_id: world.scheduleId, start_time: slot.start_time })).status).toBe(200);
      const [, other] = await searchEhr<{ id: string }>(world.sandbox.fhirBaseUrl, 'Patient', {});
      expect((await api('POST', '/appointments', { patient_id: other!.id, provider_id: world.scheduleId, start_time: slot.start_time })).status).toBe(409);
      expect((await api('DELETE', `/webhook_endpoints/${registered.body.data.id}`)).status).toBe(204);
    } finally {
      await new Promise((resolve) => hook.close(resolve));
    }
  });

  it('answers what it does not know as JSON errors', async () => {
    expect(await api('GET', '/nothing')).toMatchObject({ status: 404, body: { error: expect.any(String) } });
    expect(await api('POST', '/appointments', { patient_id: 'p' })).toMatchObject({ status: 400, body: { error: 'provider_id is required' } });
  });
});
