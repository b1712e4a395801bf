// What a person or a script counted on a slot, in the shapes they give it.
import { describe, expect, it } from 'vitest';
import { readBookingCount } from '../../src/ehr/booking-count.js';
import { ReadingError } from '../../src/operator/reading.js';
import { instructionFor } from '../../src/operator/instructions.js';
import { checkOperatorScript } from '../../src/operator/script-file.js';
import { InputError } from '../../src/errors.js';

const SLOT = 's1';
const PATIENT = 'Patient/p1';

describe('readBookingCount', () => {
  it.each([
    [1, { forPatient: 1, onSlot: 1 }],
    ['0', { forPatient: 0, onSlot: 0 }],
    ['1 2', { forPatient: 1, onSlot: 2 }],
    ['2, 2', { forPatient: 2, onSlot: 2 }],
    [{ forPatient: 1, onSlot: 3 }, { forPatient: 1, onSlot: 3 }],
    // The staff console's list: cancelled ones and other slots do not count.
    [
      [
        { id: 'a', status: 'booked', slot: ['Slot/s1'], patient: 'Patient/p1' },
        { id: 'b', status: 'cancelled', slot: ['Slot/s1'], patient: 'Patient/p1' },
        { id: 'c', status: 'booked', slot: ['Slot/s1'], patient: 'Patient/other' },
        { id: 'd', status: 'booked', slot: ['Slot/s2'], patient: 'Patient/p1' },
      ],
      { forPatient: 1, onSlot: 2 },
    ],
    [
      { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'Appointment', status: 'booked', slot: [{ reference: 'http://ehr/fhir/Slot/s1' }], participant: [{ actor: { reference: 'Patient/p1' } }] } }] },
      { forPatient: 1, onSlot: 1 },
    ],
  ])('%j', (reading, expected) => {
    expect(readBookingCount(reading, SLOT, PATIENT)).toEqual(expected);
  });

  it.each([['two'], ['1 2 3'], [-1], [{ forPatient: 2, onSlot: 1 }], [{ slots: [] }], [[42]]])('refuses %j', (reading) => {
    expect(() => readBookingCount(reading, SLOT, PATIENT)).toThrow(ReadingError);
  });
});

describe('the count-bookings step', () => {
  const base = { connection: 'athena', ehrBaseUrl: 'http://127.0.0.1/fhir', runId: 'r1', slot: { id: 's1', start: '2026-12-01T10:30:00Z' }, schedule: 'Schedule/dr-lee', patient: PATIENT };

  it('says what to count in plain words; a cancel without an id names the patient and slot', () => {
    expect(instructionFor({ ...base, kind: 'count-bookings' })).toBe(
      'Open the Tue 1 Dec 2026 10:30 UTC slot of schedule dr-lee (Slot s1) and count the appointments booked on it (cancelled ones do not count): how many are for the synthetic test patient Patient/p1, and how many in all?',
    );
    expect(instructionFor({ ...base, kind: 'cancel' })).toMatch(/^Cancel the appointments of the synthetic test patient Patient\/p1 on the Tue 1 Dec 2026 10:30 UTC slot/);
    expect(instructionFor({ ...base, kind: 'cancel', appointment: 'a9' })).toMatch(/^Cancel Appointment a9 on /);
  });

  it('is a kind a script may answer, with the slot and patient placeholders and no others', () => {
    const ok = checkOperatorScript({ version: 1, steps: [{ kind: 'count-bookings', http: { method: 'GET', url: 'http://127.0.0.1:9/staff/appointments?slot={{slot.id}}&patient={{patient}}' } }] }, 'ops.yaml', { env: {}, ehrHosts: [] });
    expect(ok.steps[0]!.kind).toBe('count-bookings');
    expect(() =>
      checkOperatorScript({ version: 1, steps: [{ kind: 'count-bookings', command: 'echo {{key}}' }] }, 'ops.yaml', { env: {}, ehrHosts: [] }),
    ).toThrow(InputError);
  });
});
