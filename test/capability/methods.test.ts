import { describe, expect, it } from 'vitest';
import { planFindingMethods } from '../../src/capability/methods.js';
import { readCapabilityStatement } from '../../src/capability/reader.js';
import { ALL_FINDING_IDS } from '../../src/model/report.js';
import { EXPECTED_MATRIX, methodsOf } from './expected-matrix.js';
import { CAPABILITY_FILES, loadCapability } from './real-world.js';

const plan = (file: string) => planFindingMethods(readCapabilityStatement(loadCapability(file)));

describe('planFindingMethods: the matrix per real CapabilityStatement', () => {
  it.each(CAPABILITY_FILES.map((f) => [f]))('%s', (file) => {
    const p = plan(file);
    expect(Object.keys(p)).toEqual([...ALL_FINDING_IDS]);
    expect(methodsOf(p)).toEqual(EXPECTED_MATRIX[file]);
    for (const id of ALL_FINDING_IDS) {
      expect(p[id].reason.length, `${file} ${id}`).toBeGreaterThan(10);
      if (p[id].method === 'impossible') expect(p[id].via, `${file} ${id}`).toEqual([]);
    }
  });
});

describe('planFindingMethods: how and why', () => {
  it('Oracle secure injects by Slot patch, races with an EHR-side Appointment, and finds bookings by patient and date', () => {
    const p = plan('oracle-health-millennium-r4.json');
    expect(p['read-through'].via).toEqual(['Slot:search-type(schedule.actor,start)']);
    expect(p['read-through'].reason).toContain("free ones picked by each Slot's status");
    expect(p['conflict-refused'].via).toEqual(['Slot:patch', 'Appointment:search-type(patient,date)']);
    expect(p['double-booking-race'].via).toEqual(['Appointment:create', 'Appointment:search-type(patient,date)']);
    expect(p['ehr-to-vendor-lag'].via).toEqual(['Slot:patch']);
    expect(p['patient-matched'].via).toEqual(['Patient:search-type(identifier)', 'Patient:create']);
  });

  it('Epic finds bookings by the booking key and needs a person for EHR-side changes', () => {
    const p = plan('epic-jefferson-health-r4.json');
    expect(p['write-lands'].via).toEqual(['Appointment:search-type(identifier)']);
    expect(p['conflict-refused'].reason).toMatch(/a person does it in the EHR's screens/);
    expect(p['double-booking-race'].reason).toMatch(/cannot act at the same moment/);
    expect(p['read-through'].reason).toMatch(/no Slot search/);
  });

  it("a person's booking is looked for by patient and date, never by the run's booking key", () => {
    expect(plan('epic-jefferson-health-r4.json')['ehr-to-vendor-lag'].via).toEqual(['Appointment:search-type(patient,date)']);
    const keyOnly = planFindingMethods(
      readCapabilityStatement({
        resourceType: 'CapabilityStatement',
        fhirVersion: '4.0.1',
        rest: [{ mode: 'server', resource: [{ type: 'Appointment', interaction: [{ code: 'read' }, { code: 'search-type' }], searchParam: [{ name: 'identifier' }] }] }],
      }),
    );
    expect(keyOnly['write-lands'].method).toBe('api');
    expect(keyOnly['conflict-refused'].method).toBe('operator'); // the vendor's refused booking would carry the key
    // A person's change is the trial's start, known within the span between asking and confirming.
    expect(keyOnly['ehr-to-vendor-lag']).toMatchObject({ method: 'operator', reason: expect.stringMatching(/widened to the span between asking and confirming/), via: [] });
  });

  it('eClinicalWorks: bookings cannot be read by API at all, so a person counts them', () => {
    const p = plan('eclinicalworks-fhir-facade-r4.json');
    expect(p['write-lands'].reason).toMatch(/^the EHR's API exposes no Appointment: bookings cannot be read; after the vendor books, a person at the EHR's schedule screen counts/);
    expect(p['vendor-to-ehr-lag'].reason).toMatch(/cannot place it finely enough/);
    expect(p['patient-matched'].reason).toMatch(/found by search \(no Patient create\)/);
  });

  it('athenahealth: Appointment by id only is not enough to find a booking; a person judges what the schedule screen shows', () => {
    const p = plan('athenahealth-athenaone-r4.json');
    expect(p['write-lands']).toMatchObject({ method: 'operator', via: [] });
    expect(p['write-lands'].reason).toMatch(
      /^Appointment cannot be searched by identifier, patient and date, or slot \(search: _id, _query,.*trusting the vendor's answer; after the vendor books, a person/,
    );
    expect(p['write-idempotent'].reason).toMatch(/a person at the EHR counts the test patient’s bookings on the slot: there must be one/);
    expect(p['conflict-refused'].reason).toMatch(/a person does it in the EHR's screens;.*a person at the EHR counts the bookings on the slot/);
    expect(p['ehr-to-vendor-lag'].reason).toMatch(/a person makes it in the EHR's screens and confirms/);
    expect(p['double-booking-race'].reason).toMatch(/cannot act at the same moment/);
  });

  it('not R4: every EHR finding is impossible with the reader\'s problem; files and metadata still judged', () => {
    const p = plan('epic-ardent-dstu2.json');
    expect(p['write-lands']).toEqual({ method: 'impossible', reason: 'not FHIR R4: a DSTU2 Conformance (fhirVersion 1.0.2)', via: [] });
    expect(p['connection-live'].reason).toMatch(/not FHIR R4.*judged, and it fails/);
    expect(p.certification.reason).toMatch(/not the EHR/);
  });

  it('a full scheduling server (Slot update, schedule/status/start search) is judged all by API', () => {
    const cap = readCapabilityStatement({
      resourceType: 'CapabilityStatement',
      fhirVersion: '4.0.1',
      rest: [
        {
          mode: 'server',
          resource: [
            { type: 'Slot', interaction: [{ code: 'read' }, { code: 'update' }, { code: 'search-type' }], searchParam: ['schedule', 'status', 'start'].map((name) => ({ name })) },
            { type: 'Appointment', interaction: [{ code: 'create' }, { code: 'search-type' }], searchParam: [{ name: 'slot' }] },
            { type: 'Patient', interaction: [{ code: 'search-type' }], searchParam: [{ name: 'family' }, { name: 'birthdate' }] },
          ],
        },
      ],
    });
    const p = planFindingMethods(cap);
    expect(methodsOf(p).every((m) => m === 'api')).toBe(true);
    expect(p['read-through'].via).toEqual(['Slot:search-type(schedule,status,start)']);
    expect(p['conflict-refused'].via).toEqual(['Slot:update', 'Appointment:search-type(slot)']);
    expect(p['patient-matched'].via).toEqual(['Patient:search-type(family,birthdate)']);
    expect(p['patient-matched'].reason).toMatch(/by name and birth date/);
  });

  it('an EHR with no Patient search cannot show a duplicate', () => {
    const cap = readCapabilityStatement({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', rest: [{ mode: 'server' }] });
    const p = planFindingMethods(cap);
    expect(p['patient-matched'].method).toBe('impossible');
    expect(p['ehr-to-vendor-lag'].method).toBe('operator');
  });
});
