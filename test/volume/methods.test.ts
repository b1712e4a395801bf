// How writes-at-volume can be judged, per vendor kind and per EHR: by API where the vendor books by API and the
// EHR finds free slots and counts bookings; never by a person (nobody books dozens at once, or counts them).
import { describe, expect, it } from 'vitest';
import { readCapabilityStatement } from '../../src/capability/reader.js';
import { planFindingMethods } from '../../src/capability/methods.js';
import type { VendorAbilities, VendorAbility } from '../../src/vendor/channel.js';
import { FHIR_ABILITIES } from '../../src/vendor/fhir.js';
import { vendorFindingMethods } from '../../src/vendor/methods.js';

const statement = (appointmentParams: string[], slotSearch = true) =>
  readCapabilityStatement({
    resourceType: 'CapabilityStatement',
    fhirVersion: '4.0.1',
    rest: [
      {
        mode: 'server',
        resource: [
          ...(slotSearch ? [{ type: 'Slot', interaction: [{ code: 'read' }, { code: 'search-type' }], searchParam: ['schedule', 'status', 'start'].map((name) => ({ name })) }] : []),
          { type: 'Appointment', interaction: [{ code: 'read' }, { code: 'search-type' }], searchParam: appointmentParams.map((name) => ({ name })) },
        ],
      },
    ],
  });

describe('writes-at-volume, the vendor side', () => {
  it('is by API where the vendor books by API, impossible through a person or without booking', () => {
    const can = (book: VendorAbility, bookingKey: boolean): VendorAbilities => ({ freeSlots: { by: 'api' }, book, bookingKey, findBooking: { by: 'api' }, registerPatient: { by: 'api' } });
    const method = (abilities: VendorAbilities, kind: string) => vendorFindingMethods(abilities, kind)['writes-at-volume']!;
    expect(method(FHIR_ABILITIES, 'fhir')).toMatchObject({ method: 'api', via: ['vendor:book'] });
    // A REST API without idempotency keys is still asked: its retries are then the same request sent twice.
    expect(method(can({ by: 'api' }, false), 'http').method).toBe('api');
    expect(method(can({ by: 'person' }, false), 'person')).toMatchObject({ method: 'impossible', reason: expect.stringMatching(/cannot book dozens of slots at once/) });
    expect(method(can({ by: 'none', reason: 'a feed publishes availability' }, false), 'scheduling-links')).toMatchObject({ method: 'impossible', reason: expect.stringMatching(/a feed publishes availability/) });
  });
});

describe('writes-at-volume, the EHR side', () => {
  it('counts by identifier, by patient and day, or by slot; and needs Slot search to find the slots', () => {
    const m = (params: string[], slots = true) => planFindingMethods(statement(params, slots))['writes-at-volume'];
    expect(m(['identifier', 'slot'])).toMatchObject({ method: 'api', via: ['Slot:search-type(schedule,status,start)', 'Appointment:search-type(identifier)', 'Appointment:search-type(slot)'] });
    expect(m(['patient', 'date']).via).toContain('Appointment:search-type(patient,date)');
    expect(m(['patient', 'date']).reason).toMatch(/carry no key go unseen/);
    expect(m(['slot'])).toMatchObject({ method: 'api', via: ['Slot:search-type(schedule,status,start)', 'Appointment:search-type(slot)'] });
    expect(m(['_id']).method).toBe('impossible');
    expect(m(['identifier'], false)).toMatchObject({ method: 'impossible', reason: expect.stringMatching(/no Slot search/) });
  });
});
