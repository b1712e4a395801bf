// A REST API that keeps no client reference: the mapping sends no {{key}}, and the vendor writes its bookings to the
// EHR under its own identifier only. ehr-check then finds them by the test patient on the slot, judges them the
// same way, and cleanup removes them from the ledger's slot and patient.
import { afterAll, expect, it } from 'vitest';
import { VENDOR_ID_SYSTEM } from '../../fixtures/vendors/rest/appointments.js';
import { searchEhr, slotStatuses } from '../helpers/ehr-truth.js';
import { evaluatePlan, testPlan } from '../helpers/run.js';
import { MappingFiles, restConnection, startRestWorld, type RestWorld } from './world.js';

const files = new MappingFiles();
let world: RestWorld | undefined;
afterAll(async () => {
  await world?.close();
  files.remove();
});

it('judges a keyless REST vendor from the EHR by patient and slot, and leaves nothing behind', async () => {
  world = await startRestWorld();
  const mapping = files.variant((doc) => {
    delete doc.operations.book.request.body.ref;
    delete doc.operations.findBooking;
  });
  const before = await slotStatuses(world.sandbox.fhirBaseUrl);
  const freshness = { trials: 1, timeoutSeconds: 8, realTimeSeconds: 4, nearRealTimeSeconds: 8 };
  const run = await evaluatePlan(testPlan([restConnection(world, 'athenahealth', mapping)], { freshness }), { checks: ['bidirectional', 'freshness'] });
  for (const id of ['write-lands', 'write-idempotent', 'conflict-refused', 'vendor-to-ehr-lag', 'double-booking-race'] as const) {
    expect(run.finding(id).status, `${id}: ${run.finding(id).message}`).toBe('pass');
  }
  const lands = run.finding('write-lands').evidence as { ehrBookings: Array<{ id: string }> };
  expect(lands.ehrBookings).toHaveLength(1);
  // What the EHR held carried the vendor's own identifier, not the run's key.
  expect((run.report.writes ?? []).some((w) => w.id === lands.ehrBookings[0]!.id && w.removed)).toBe(true);
  const vendorWritten = await searchEhr<{ status: string }>(world.sandbox.fhirBaseUrl, 'Appointment', { identifier: `${VENDOR_ID_SYSTEM}|` });
  expect(vendorWritten.filter((a) => a.status !== 'cancelled')).toEqual([]);
  expect(run.report.cleanup.leftover).toEqual([]);
  expect(await slotStatuses(world.sandbox.fhirBaseUrl)).toEqual(before);

  // The search above is not blind: a booking made without a ref shows under the vendor's own identifier.
  const [slot] = await searchEhr<{ start: string }>(world.sandbox.fhirBaseUrl, 'Slot', { schedule: `Schedule/${world.scheduleId}`, status: 'free', start: `ge${new Date(Date.now() + 86_400_000).toISOString()}` });
  const [patient] = await searchEhr<{ id: string }>(world.sandbox.fhirBaseUrl, 'Patient', {});
  const res = await fetch(`${world.vendor.baseUrl}/appointments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ patient_id: patient!.id, provider_id: world.scheduleId, start_time: slot!.start }) });
  expect(res.status).toBe(201);
  const deadline = Date.now() + 5_000;
  let written: unknown[] = [];
  while (written.length === 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    written = await searchEhr(world.sandbox.fhirBaseUrl, 'Appointment', { identifier: `${VENDOR_ID_SYSTEM}|` });
  }
  expect(written).toHaveLength(1);
}, 90_000);
