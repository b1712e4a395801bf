// Paging walks every result through `next` links; seed data is deterministic, plainly synthetic and tagged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../fixtures/sandbox/index.js';
import { call, searchAll } from './client.js';

const START = new Date('2030-03-04T10:00:00Z'); // a Monday
let one: RunningSandbox;
let same: RunningSandbox;
let other: RunningSandbox;

beforeAll(async () => {
  [one, same, other] = await Promise.all([
    startSandbox({ seed: 5, startDate: START }),
    startSandbox({ seed: 5, startDate: START }),
    startSandbox({ seed: 6, startDate: START }),
  ]);
});
afterAll(() => Promise.all([one, same, other].map((s) => s.close())));

const slotsOf = async (sandbox: RunningSandbox) => {
  const all = [];
  for (const id of sandbox.seeded.scheduleIds) all.push(...(await searchAll(`${sandbox.fhirBaseUrl}/Slot?schedule=Schedule/${id}&_count=500`)).resources);
  return all.map((s) => `${s.id} ${s.start} ${s.status}`).sort();
};

describe('paging', () => {
  it('walks every slot of a schedule with _count=10 through next links, each page with self and total', async () => {
    const scheduleId = one.seeded.scheduleIds[0];
    const walked = await searchAll(`${one.fhirBaseUrl}/Slot?schedule=Schedule/${scheduleId}&_count=10`);
    const first = (await call(`${one.fhirBaseUrl}/Slot?schedule=Schedule/${scheduleId}&_count=10`)).body;
    expect(first.total).toBe(walked.resources.length);
    expect(first.entry).toHaveLength(10);
    expect(first.link.find((l: any) => l.relation === 'self').url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/fhir\/R4\/Slot\?/);
    expect(walked.pages).toBe(Math.ceil(walked.resources.length / 10));
    expect(new Set(walked.resources.map((s) => s.id)).size).toBe(walked.resources.length);
    expect(walked.resources.every((s) => s.schedule.reference === `Schedule/${scheduleId}`)).toBe(true);
    // Two weeks of weekday slots: ten days of at least 14 half-hours.
    expect(walked.resources.length).toBeGreaterThanOrEqual(140);
  });

  it('defaults to pages of 50, caps _count at 500 and refuses a bad _count', async () => {
    expect((await call(`${one.fhirBaseUrl}/Slot`)).body.entry).toHaveLength(50);
    expect((await call(`${one.fhirBaseUrl}/Slot?_count=9999`)).body.entry).toHaveLength(500);
    expect((await call(`${one.fhirBaseUrl}/Slot?_count=-1`)).status).toBe(400);
  });

  it('finds resources by _tag, identifier and _lastUpdated', async () => {
    const base = one.fhirBaseUrl;
    const tag = 'urn:ehr-check:run|run-paging-1';
    const made = await call(`${base}/Patient`, {
      method: 'POST',
      body: { resourceType: 'Patient', meta: { tag: [{ system: 'urn:ehr-check:run', code: 'run-paging-1' }] }, identifier: [{ system: 'urn:test', value: 'P-1' }], name: [{ family: 'Testpatient', given: ['Zulu'] }] },
    });
    expect(made.status).toBe(201);
    expect((await call(`${base}/Patient?_tag=${encodeURIComponent(tag)}`)).body.total).toBe(1);
    expect((await call(`${base}/Patient?identifier=urn:test|P-1`)).body.entry[0].resource.id).toBe(made.body.id);
    const since = encodeURIComponent(`gt${new Date(Date.now() - 60_000).toISOString()}`);
    const recent = (await call(`${base}/Patient?_lastUpdated=${since}&_count=500`)).body.entry.map((e: any) => e.resource.id);
    expect(recent).toContain(made.body.id);
  });
});

describe('seed data', () => {
  it('is identical for the same seed and differs for another', async () => {
    expect(one.seeded).toEqual(same.seeded);
    expect(await slotsOf(one)).toEqual(await slotsOf(same));
    expect(await slotsOf(one)).not.toEqual(await slotsOf(other));
    expect(one.seeded.patientIds).not.toEqual(other.seeded.patientIds);
  });

  it('has two weeks of weekday slots from the start date, some pre-booked with a matching Appointment', async () => {
    const slots = (await searchAll(`${one.fhirBaseUrl}/Slot?_count=500`)).resources;
    expect(slots).toHaveLength(one.seeded.slotCount);
    const days = new Set(slots.map((s) => s.start.slice(0, 10)));
    expect(days.size).toBe(10);
    expect([...days].every((d) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()))).toBe(true);
    expect([...days].sort()[0]).toBe('2030-03-04');
    const busy = slots.filter((s) => s.status === 'busy');
    expect(busy.length).toBeGreaterThan(0);
    expect(busy.length).toBeLessThan(slots.length / 2);
    const held = await call(`${one.fhirBaseUrl}/Appointment?slot=Slot/${busy[0].id}`);
    expect(held.body.entry[0].resource.status).toBe('booked');
  });

  it('is plainly synthetic: HTEST labels, Testpatient names, Dr. Test practitioners, sandbox MRNs', async () => {
    const patients = (await searchAll(`${same.fhirBaseUrl}/Patient?_count=500`)).resources;
    expect(patients).toHaveLength(20);
    for (const p of patients) {
      expect(p.meta.security).toContainEqual(expect.objectContaining({ code: 'HTEST' }));
      expect(p.name[0].family).toBe('Testpatient');
      expect(p.identifier[0].system).toBe('urn:ehr-check:sandbox-mrn');
    }
    const doctors = (await call(`${one.fhirBaseUrl}/Practitioner`)).body.entry.map((e: any) => e.resource);
    expect(doctors.length).toBeGreaterThanOrEqual(3);
    expect(doctors.length).toBeLessThanOrEqual(4);
    expect(doctors.every((d: any) => d.name[0].text.startsWith('Dr. Test '))).toBe(true);
    const schedule = (await call(`${one.fhirBaseUrl}/Schedule/${one.seeded.scheduleIds[0]}`)).body;
    expect(schedule.actor[0].reference).toBe(`Practitioner/${one.seeded.practitionerIds[0]}`);
  });
});
