// A run cut short after a person booked and registered through a chat vendor: what the chat wrote carries no run
// identifier, yet the run's ledger is enough for `ehr-check cleanup` to find and remove it (the booking of the
// run's test patient on the ledgered slot, the second chart under its name) and put the slot back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FhirClient } from '../../src/http/fhir-client.js';
import { cleanupConnection } from '../../src/safety/cleanup.js';
import { MemoryLedger } from '../../src/safety/ledger.js';
import { testPatientName } from '../../src/safety/run-records.js';
import { BOOKING_IDENTIFIER_SYSTEM, PATIENT_IDENTIFIER_SYSTEM } from '../../src/safety/types.js';
import { readEhr, searchEhr } from '../helpers/ehr-truth.js';
import { call } from '../sandbox/client.js';
import { startChatWorld, type ChatWorld } from './world.js';

describe('cleanup after a run that a person drove through a chat vendor', () => {
  let world: ChatWorld;
  beforeAll(async () => {
    world = await startChatWorld(['duplicate-patients']);
  }, 30_000);
  afterAll(async () => world?.close());

  const say = async (text: string): Promise<string> => {
    const res = await fetch(world.chat.chatUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ conversation: 'c1', text }) });
    return ((await res.json()) as { reply: string }).reply;
  };

  it('removes the keyless booking and the second chart, and frees the slot, from the ledger alone', async () => {
    const runId = 'person-cut-short';
    const base = world.sandbox.fhirBaseUrl;
    const ledger = new MemoryLedger(runId);
    // The run's synthetic test patient, created in the EHR as a run creates it.
    const key = `${runId}-patient-1`;
    const name = testPatientName(key);
    const identifier = `${PATIENT_IDENTIFIER_SYSTEM}|${key}`;
    const created = await ledger.intend({ connection: 'epic', target: 'ehr', action: 'create-patient', resourceType: 'Patient', identifier });
    const patient = await call(`${base}/Patient`, { method: 'POST', body: { resourceType: 'Patient', identifier: [{ system: PATIENT_IDENTIFIER_SYSTEM, value: key }], name: [{ given: name.given, family: name.family }], birthDate: name.birthDate } });
    await ledger.done(created, { status: 201, id: patient.body.id });

    // The person books a free slot through the chat, and registers the patient again.
    const [slot] = await searchEhr<{ id: string; start: string }>(base, 'Slot', { schedule: `Schedule/${world.sandbox.seeded.scheduleIds[0]}`, status: 'free', start: `ge${new Date(Date.now() + 86_400_000).toISOString()}` });
    const when = new Date(slot!.start).toISOString();
    const booking = await ledger.intend({ connection: 'epic', target: 'vendor', action: 'book', resourceType: 'Appointment', identifier: `${BOOKING_IDENTIFIER_SYSTEM}|${runId}-booking-2`, slot: { id: slot!.id, previousStatus: 'free' }, patient: `Patient/${patient.body.id}` });
    expect(await say(`Please book Dr. Lee on ${when.slice(0, 10)} at ${when.slice(11, 16)} UTC for ${name.text}, born ${name.birthDate}.`)).toMatch(/^Booked/);
    await ledger.done(booking, { status: 201 });
    const registration = await ledger.intend({ connection: 'epic', target: 'vendor', action: 'register-patient', resourceType: 'Patient', identifier });
    expect(await say(`Please register a new patient: ${name.text}, born ${name.birthDate}.`)).toMatch(/^Registered/);
    await ledger.done(registration, { status: 201 });
    expect((await readEhr(base, 'Slot', slot!.id)).status).toBe('busy');
    expect(await searchEhr(base, 'Patient', { family: name.family, birthdate: name.birthDate })).toHaveLength(2);

    const ehr = new FhirClient({ baseUrl: base });
    const result = await cleanupConnection(ehr, runId, ledger.entries());
    await ehr.close();
    expect(result.summary.leftover).toEqual([]);
    expect(result.summary).toMatchObject({ created: 3, removed: 3 });
    expect((await readEhr(base, 'Slot', slot!.id)).status).toBe('free');
    expect(await searchEhr(base, 'Patient', { family: name.family, birthdate: name.birthDate })).toEqual([]);
    expect(await searchEhr(base, 'Appointment', { slot: `Slot/${slot!.id}` }).then((found) => found.filter((a: any) => a.status !== 'cancelled'))).toEqual([]);
  }, 30_000);
});
