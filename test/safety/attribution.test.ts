// Which record each of the run's writes made: one line per record, so that created = writes and every write
// that made none is counted apart. Recorded ledgers and search results in, lines out.
import { describe, expect, it } from 'vitest';
import { attributeRecords, type FoundRecord } from '../../src/safety/attribution.js';
import type { LedgerEntry } from '../../src/safety/types.js';

const K = 'urn:ehr-check:booking|run-k';
const P = 'urn:ehr-check:patient|run-p';
let seq = 0;
const entry = (over: Partial<LedgerEntry> & Pick<LedgerEntry, 'target' | 'action' | 'resourceType'>): LedgerEntry => ({
  seq: ++seq,
  at: '2030-01-07T06:00:00.000Z',
  runId: 'run',
  connection: 'epic',
  ...over,
});
const appt = (id: string): FoundRecord => ({ resourceType: 'Appointment', id });
const patient = (id: string): FoundRecord => ({ resourceType: 'Patient', id });
const attribute = (entries: LedgerEntry[], found: Record<string, FoundRecord[]>, byTag: FoundRecord[] = [], stillQueued: string[] = []) =>
  attributeRecords({ entries, byIdentifier: new Map(Object.entries(found)), byTag, stillQueued: new Set(stillQueued) });
const summary = (a: ReturnType<typeof attribute>) => a.lines.map((l) => [l.target, l.action, l.id ?? null, l.removedByProbe, l.queued ?? false]);

describe('attributing records to writes', () => {
  it('gives a write to the EHR its own record, and a vendor booking the record carrying its key', () => {
    const entries = [
      entry({ target: 'ehr', action: 'create-patient', resourceType: 'Patient', identifier: P, result: { status: 201, id: 'p1' } }),
      entry({ target: 'vendor', action: 'book', resourceType: 'Appointment', identifier: K, result: { status: 201 } }),
      // The replay of the same key, matched by the vendor: no second record.
      entry({ target: 'vendor', action: 'book', resourceType: 'Appointment', identifier: K, result: { status: 200 } }),
      // A patient the vendor matched: the record it names is the run's own, already counted.
      entry({ target: 'vendor', action: 'register-patient', resourceType: 'Patient', identifier: P, result: { status: 200, id: 'p1' } }),
    ];
    const a = attribute(entries, { [P]: [patient('p1')], [K]: [appt('a1')] });
    expect(summary(a)).toEqual([
      ['ehr', 'create-patient', 'p1', false, false],
      ['vendor', 'book', 'a1', false, false],
    ]);
    expect(a.writesWithoutRecord).toBe(2);
  });

  it('counts a duplicate the vendor made for a replay, or for a patient it should have matched, against that write', () => {
    const entries = [
      entry({ target: 'ehr', action: 'create-patient', resourceType: 'Patient', identifier: P, result: { status: 201, id: 'p1' } }),
      entry({ target: 'vendor', action: 'book', resourceType: 'Appointment', identifier: K, result: { status: 202 } }),
      entry({ target: 'vendor', action: 'book', resourceType: 'Appointment', identifier: K, result: { status: 202 } }),
      entry({ target: 'vendor', action: 'register-patient', resourceType: 'Patient', identifier: P, result: { status: 201, id: 'p2' } }),
    ];
    const a = attribute(entries, { [P]: [patient('p1'), patient('p2')], [K]: [appt('a1'), appt('a2')] });
    expect(summary(a).map(([target, action, id]) => [target, action, id])).toEqual([
      ['ehr', 'create-patient', 'p1'],
      ['vendor', 'book', 'a1'],
      ['vendor', 'book', 'a2'],
      ['vendor', 'register-patient', 'p2'],
    ]);
    expect(a.writesWithoutRecord).toBe(0);
  });

  it('keeps the records a probe already deleted, by the key the ledger says they carried', () => {
    const entries = [
      entry({ target: 'vendor', action: 'book', resourceType: 'Appointment', identifier: K, result: { status: 201 } }),
      entry({ target: 'ehr', action: 'remove', resourceType: 'Appointment', id: 'a1', forIdentifier: K, result: { status: 204, id: 'a1' } }),
      entry({ target: 'ehr', action: 'book', resourceType: 'Appointment', identifier: 'urn:ehr-check:booking|run-e', result: { status: 201, id: 'e1' } }),
      entry({ target: 'ehr', action: 'remove', resourceType: 'Appointment', id: 'e1', result: { status: 204, id: 'e1' } }),
      // A removal the EHR refused (it was cancelled instead) leaves the record for cleanup.
      entry({ target: 'ehr', action: 'book', resourceType: 'Appointment', identifier: 'urn:ehr-check:booking|run-c', result: { status: 201, id: 'c1' } }),
      entry({ target: 'ehr', action: 'remove', resourceType: 'Appointment', id: 'c1', result: { status: 405, id: 'c1' } }),
      entry({ target: 'ehr', action: 'cancel', resourceType: 'Appointment', id: 'c1', result: { status: 200, id: 'c1' } }),
    ];
    const a = attribute(entries, { [K]: [], 'urn:ehr-check:booking|run-e': [], 'urn:ehr-check:booking|run-c': [appt('c1')] });
    expect(summary(a)).toEqual([
      ['vendor', 'book', 'a1', true, false],
      ['ehr', 'book', 'e1', true, false],
      ['ehr', 'book', 'c1', false, false],
    ]);
    expect(a.writesWithoutRecord).toBe(0);
  });

  it('names a booking still in the vendor’s queue, records beyond one per write, and records found only by the run tag', () => {
    const entries = [
      entry({ target: 'vendor', action: 'book', resourceType: 'Appointment', identifier: K, result: { status: 202 } }),
      entry({ target: 'vendor', action: 'book', resourceType: 'Appointment', identifier: 'urn:ehr-check:booking|run-twice', result: { status: 201 } }),
      entry({ target: 'vendor', action: 'book', resourceType: 'Appointment', identifier: 'urn:ehr-check:booking|run-refused', result: { status: 409 } }),
    ];
    const a = attribute(entries, { [K]: [], 'urn:ehr-check:booking|run-twice': [appt('t1'), appt('t2')], 'urn:ehr-check:booking|run-refused': [] }, [appt('t1'), appt('x9')], [K]);
    expect(summary(a)).toEqual([
      ['vendor', 'book', null, false, true],
      ['vendor', 'book', 't1', false, false],
      ['vendor', 'found-by-identifier', 't2', false, false],
      ['vendor', 'found-by-tag', 'x9', false, false],
    ]);
    expect(a.writesWithoutRecord).toBe(1);
  });

  it('never counts a slot change or a removal as a write', () => {
    const entries = [
      entry({ target: 'ehr', action: 'block-slot', resourceType: 'Slot', id: 's1', slot: { id: 's1', previousStatus: 'free' }, result: { status: 200, id: 's1' } }),
      entry({ target: 'ehr', action: 'free-slot', resourceType: 'Slot', id: 's1', slot: { id: 's1', previousStatus: 'busy' }, result: { status: 200, id: 's1' } }),
      entry({ target: 'ehr', action: 'remove', resourceType: 'Appointment', id: 'zz', result: { status: 404, id: 'zz' } }),
    ];
    expect(attribute(entries, {})).toEqual({ lines: [], writesWithoutRecord: 0 });
  });
});
