// The behaviours and faults as policy rows: what each kind of vendor does with a booking and a patient.
import { describe, expect, it } from 'vitest';
import { policyFor } from '../../fixtures/vendors/policy.js';
import { vendorName } from '../../fixtures/vendors/index.js';

describe('vendor policies', () => {
  it('deep: checks the EHR, conditional create, matches patients, answers from the EHR', () => {
    expect(policyFor({ behavior: 'deep' })).toEqual({ replay: 'ehr', slotCheck: 'ehr', write: 'conditional', queueMs: 0, onRefusal: 'tell', patients: 'match', records: 'ehr', verify: true });
  });

  it('shallow: no checks, queued plain writes, a new patient every time', () => {
    expect(policyFor({ behavior: 'shallow' })).toMatchObject({ slotCheck: 'none', write: 'plain', queueMs: 3000, patients: 'always-new', records: 'own' });
    expect(policyFor({ behavior: 'shallow', bookingQueueMs: 500 }).queueMs).toBe(500);
  });

  it('batch: trusts its copy, plain writes, confirms what its copy showed free even when the EHR refuses', () => {
    expect(policyFor({ behavior: 'batch' })).toMatchObject({ slotCheck: 'cache', write: 'plain', queueMs: 0, onRefusal: 'confirm', patients: 'match' });
  });

  it.each([
    ['confirm-without-write', { write: 'none', queueMs: 0 }],
    ['write-twice', { write: 'twice' }],
    ['ignore-conflicts', { slotCheck: 'none', onRefusal: 'confirm' }],
    ['duplicate-patients', { patients: 'always-new' }],
  ] as const)('%s changes the row', (fault, change) => {
    for (const behavior of ['deep', 'shallow', 'batch'] as const) {
      expect(policyFor({ behavior, faults: [fault] })).toMatchObject(change);
    }
  });

  it('confirm-without-write wins over write-twice, in either order', () => {
    expect(policyFor({ behavior: 'deep', faults: ['write-twice', 'confirm-without-write'] }).write).toBe('none');
    expect(policyFor({ behavior: 'deep', faults: ['confirm-without-write', 'write-twice'] }).write).toBe('none');
  });

  it('names a vendor by what it is', () => {
    expect(vendorName({ behavior: 'deep', lagMs: 1500 })).toBe('Reference vendor (deep; lag 1500 ms)');
    expect(vendorName({ behavior: 'batch', faults: ['frozen', 'write-twice'] })).toBe('Reference vendor (batch; faults: frozen, write-twice)');
  });
});
