// The pure parts of "behaviour decides": which returned resources match a search, and the capability and method
// plan built from what the EHR was seen to honour.
import { describe, expect, it } from 'vitest';
import { planFindingMethods } from '../../src/capability/methods.js';
import { readCapabilityStatement } from '../../src/capability/reader.js';
import { capabilityBasis, verifiedCapability, type Verification } from '../../src/capability/verified.js';
import { dateMatches, keepMatching, sameReference } from '../../src/ehr/search-match.js';

describe('search-match', () => {
  it.each([
    ['Schedule/1', 'Schedule/1', true],
    ['https://ehr.example/fhir/Schedule/1', 'Schedule/1', true],
    ['Schedule/1', '1', true],
    ['Schedule/12', 'Schedule/1', false],
    [undefined, 'Schedule/1', false],
  ])('sameReference(%s, %s) = %s', (actual, wanted, expected) => expect(sameReference(actual, wanted)).toBe(expected));

  it.each([
    ['2026-03-01T10:00:00Z', 'ge2026-03-01T10:00:00Z', true],
    ['2026-03-01T09:59:59Z', 'ge2026-03-01T10:00:00Z', false],
    ['2026-03-01T10:00:00Z', 'lt2026-03-01T10:00:00Z', false],
    ['2026-03-01T23:30:00Z', '2026-03-01', true],
    ['2026-03-02T00:00:00Z', '2026-03-01', false],
  ])('dateMatches(%s, %s) = %s', (value, search, expected) => expect(dateMatches(value, search)).toBe(expected));

  it('keeps only the slots of the schedule, free, in the window, and only the bookings with the key', () => {
    const slots = [
      { resourceType: 'Slot', id: 'a', schedule: { reference: 'Schedule/1' }, status: 'free', start: '2026-03-01T10:00:00Z' },
      { resourceType: 'Slot', id: 'b', schedule: { reference: 'Schedule/2' }, status: 'free', start: '2026-03-01T10:00:00Z' },
      { resourceType: 'Slot', id: 'c', schedule: { reference: 'Schedule/1' }, status: 'busy', start: '2026-03-01T10:00:00Z' },
      { resourceType: 'Slot', id: 'd', schedule: { reference: 'Schedule/1' }, status: 'free', start: '2026-04-01T10:00:00Z' },
    ];
    const query = { schedule: 'Schedule/1', status: 'free', start: ['ge2026-03-01T00:00:00Z', 'lt2026-03-02T00:00:00Z'], _count: '200' };
    expect(keepMatching('Slot', slots, query).map((s) => s.id)).toEqual(['a']);
    const bookings = [
      { resourceType: 'Appointment', id: 'x', identifier: [{ system: 'urn:ehr-check:booking', value: 'K1' }] },
      { resourceType: 'Appointment', id: 'y', identifier: [{ system: 'urn:ehr-check:booking', value: 'K2' }] },
      { resourceType: 'Appointment', id: 'z' },
    ];
    expect(keepMatching('Appointment', bookings, { identifier: 'urn:ehr-check:booking|K1' }).map((a) => a.id)).toEqual(['x']);
  });
});

describe('the capability behaviour verified', () => {
  const cap = readCapabilityStatement({
    resourceType: 'CapabilityStatement',
    fhirVersion: '4.0.1',
    rest: [{ mode: 'server', resource: [{ type: 'Slot', interaction: [{ code: 'read' }, { code: 'search-type' }], searchParam: [{ name: '_lastUpdated' }, { name: 'identifier' }] }, { type: 'Appointment', interaction: [{ code: 'search-type' }, { code: 'create' }], searchParam: [{ name: 'identifier' }] }] }],
  });
  const verification: Verification = {
    checks: [
      { type: 'Slot', name: 'schedule', kind: 'search-param', state: 'honoured', detail: 'all 3 results match it' },
      { type: 'Slot', name: 'status', kind: 'search-param', state: 'ignored', detail: '2 of 3 results do not match it' },
      { type: 'Slot', name: 'start', kind: 'search-param', state: 'honoured' },
      { type: 'Appointment', name: 'identifier', kind: 'search-param', state: 'declared' },
    ],
  };

  it('adds what was honoured, never what was ignored; the planner uses it and says so', () => {
    expect(planFindingMethods(cap)['read-through'].method).toBe('operator');
    const seen = verifiedCapability(cap, verification);
    expect(seen.resources.Slot!.searchParams).toEqual(['_lastUpdated', 'identifier', 'schedule', 'start']);
    expect(cap.resources.Slot!.searchParams).toEqual(['_lastUpdated', 'identifier']); // the statement itself is untouched
    const read = planFindingMethods(seen, verification)['read-through'];
    expect(read).toMatchObject({ method: 'api', via: ['Slot:search-type(schedule,start)'] });
    expect(read.reason).toMatch(/free ones picked by each Slot's status \(undeclared, answered correctly: Slot schedule, start\)$/);
  });

  it('evidence shows declared vs verified for the searches a finding needs, and nothing when all were declared', () => {
    expect(capabilityBasis('read-through', verification)).toEqual({
      'Slot search by schedule': 'undeclared, answered correctly (all 3 results match it)',
      'Slot search by status': 'undeclared, ignored by the server (2 of 3 results do not match it)',
      'Slot search by start': 'undeclared, answered correctly',
    });
    expect(capabilityBasis('write-lands', verification)).toBeUndefined();
    expect(capabilityBasis('certification', verification)).toBeUndefined();
  });
});
