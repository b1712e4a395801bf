// The facade's Slot search, answered from a local copy, must agree with FHIR date-search semantics.
import { describe, expect, it } from 'vitest';
import type { Slot } from '@medplum/fhirtypes';
import { FacadeError } from '../../fixtures/vendors/facade-http.js';
import { ehrSlotSearch, horizonSlotSearch, matchesSlot, parseSlotQuery, referenceId } from '../../fixtures/vendors/slot-query.js';

const slot = (start: string, status: Slot['status'] = 'free', schedule = 'Schedule/dr-lee'): Slot => ({
  resourceType: 'Slot',
  id: `s-${start}`,
  status,
  start,
  end: start,
  schedule: { reference: schedule },
});

const query = (qs: string) => parseSlotQuery(new URLSearchParams(qs));

describe('slot query', () => {
  it.each([
    ['start=ge2030-01-07T09:00:00Z', '2030-01-07T09:00:00Z', true],
    ['start=ge2030-01-07T09:00:00Z', '2030-01-07T08:59:59Z', false],
    ['start=gt2030-01-07T09:00:00Z', '2030-01-07T09:00:00Z', false],
    ['start=gt2030-01-07T09:00:00Z', '2030-01-07T09:00:01Z', true],
    ['start=lt2030-01-07T09:00:00Z', '2030-01-07T09:00:00Z', false],
    ['start=le2030-01-07T09:00:00Z', '2030-01-07T09:00:00Z', true],
    ['start=ge2030-01-07', '2030-01-07T00:00:00Z', true],
    ['start=lt2030-01-07', '2030-01-06T23:30:00Z', true],
    ['start=lt2030-01-07', '2030-01-07T00:00:00Z', false],
    ['start=le2030-01-07', '2030-01-07T23:30:00Z', true],
    ['start=2030-01-07', '2030-01-07T12:00:00Z', true],
    ['start=2030-01', '2030-01-31T12:00:00Z', true],
    ['start=2030-01', '2030-02-01T00:00:00Z', false],
    ['start=ge2030-01-07T10:00:00%2B01:00', '2030-01-07T09:00:00Z', true],
    ['start=ge2030-01-07T09:00:00.500Z', '2030-01-07T09:00:00.000Z', false],
    ['start=ge2030-01-07T09:00:00Z&start=lt2030-01-07T10:00:00Z', '2030-01-07T09:30:00Z', true],
    ['start=ge2030-01-07T09:00:00Z&start=lt2030-01-07T10:00:00Z', '2030-01-07T10:00:00Z', false],
  ])('%s matches a slot at %s: %s', (qs, start, expected) => {
    expect(matchesSlot(query(qs), slot(start))).toBe(expected);
  });

  it('keeps free slots of the asked schedules only', () => {
    const q = query('schedule=Schedule/dr-lee,dr-patel&status=free');
    expect(matchesSlot(q, slot('2030-01-07T09:00:00Z'))).toBe(true);
    expect(matchesSlot(q, slot('2030-01-07T09:00:00Z', 'free', 'http://ehr/fhir/Schedule/dr-patel'))).toBe(true);
    expect(matchesSlot(q, slot('2030-01-07T09:00:00Z', 'free', 'Schedule/dr-haddad'))).toBe(false);
    expect(matchesSlot(q, slot('2030-01-07T09:00:00Z', 'busy'))).toBe(false);
    expect(matchesSlot(q, slot('2030-01-07T09:00:00Z', 'busy-unavailable'))).toBe(false);
  });

  it.each(['status=busy', 'start=soon', 'start=ne2030-01-01', 'start=ap2030-01-01', 'start=2030-13', 'start=ge2030-02-30', 'start=ge2030-01-01T24:00:00Z'])('refuses %s with a 400', (qs) => {
    let error: unknown;
    try {
      query(qs);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(FacadeError);
    expect((error as FacadeError).status).toBe(400);
  });

  it('asks the EHR the same question, for free slots only', () => {
    const forwarded = ehrSlotSearch(query('schedule=dr-lee&start=ge2030-01-07&start=lt2030-01-08&_count=5'));
    expect(forwarded.get('schedule')).toBe('Schedule/dr-lee');
    expect(forwarded.get('status')).toBe('free');
    expect(forwarded.getAll('start')).toEqual(['ge2030-01-07', 'lt2030-01-08']);
    expect(forwarded.has('_count')).toBe(false);
  });

  it('gives a whole-horizon search an explicit start range (some EHRs require one)', () => {
    const now = Date.parse('2030-06-15T12:00:00Z');
    expect(horizonSlotSearch(now).getAll('start')).toEqual(['ge2030-05-15', 'lt2031-06-16']);
  });

  it('reads ids out of references', () => {
    expect(referenceId('Schedule/a', 'Schedule')).toBe('a');
    expect(referenceId('a', 'Schedule')).toBe('a');
    expect(referenceId('http://h/fhir/Schedule/a/_history/2', 'Schedule')).toBe('a');
    expect(referenceId('Practitioner/a', 'Schedule')).toBeUndefined();
  });
});
