// Steps at the vendor's product as a person sees them: the exact words on the terminal for each channel, the
// request a script sends, and the free times a person types back, read at the schedule's UTC offset.
import { describe, expect, it } from 'vitest';
import { makeStep } from '../../src/operator/instructions.js';
import { nextHalfDay } from '../../src/operator/local-time.js';
import { ReadingError } from '../../src/operator/reading.js';
import { TtyOperator } from '../../src/operator/tty.js';
import { readVendorTimes } from '../../src/operator/vendor-times.js';
import { testPatientName } from '../../src/safety/run-records.js';
import { vendorFindingMethods } from '../../src/vendor/methods.js';
import { vendorAbilities } from '../../src/vendor/index.js';
import { KEYS, Screen } from '../operator/screen.js';

const base = { connection: 'epic', ehrBaseUrl: 'http://127.0.0.1:1/fhir', runId: 'ehrc-run-7', schedule: 'Schedule/dr-lee', practitioner: 'Dr. Lee' };
const person = { name: 'Ehrcheck Test 4F2A', birthDate: '1990-01-01' };
const phone = { type: 'phone' as const, address: '+1 555 0100' };
const chat = { type: 'chat' as const, address: 'http://127.0.0.1:9/chat' };
// Tuesday 1 December 2026, 10:30 UTC.
const slot = { id: 'dr-lee-202612011030', start: '2026-12-01T10:30:00Z', end: '2026-12-01T11:00:00Z' };
const tuesdayMorning = { start: '2026-12-01T00:00:00.000Z', end: '2026-12-01T12:00:00.000Z' };

describe('the words of a step at the vendor’s product', () => {
  it('phone: call, book the practitioner at the time for the test patient, then confirm', () => {
    const step = makeStep({ ...base, kind: 'vendor-book', vendor: phone, slot, person, utcOffset: '+00:00' });
    expect(step.instruction).toBe(
      'Call +1 555 0100 and book Dr. Lee, Tue 10:30, for the test patient Ehrcheck Test 4F2A, born 1990-01-01; then confirm. (Times are UTC; Tue is Tue 1 Dec 2026.)',
    );
    expect(step.request).toBe('Please book Dr. Lee on 2026-12-01 at 10:30 UTC for Ehrcheck Test 4F2A, born 1990-01-01.');
  });

  it('chat: open the chat and ask; a read asks which times are free on the half-day and to enter them', () => {
    expect(makeStep({ ...base, kind: 'vendor-book', vendor: chat, slot, person }).instruction).toMatch(
      /^Open the chat at http:\/\/127\.0\.0\.1:9\/chat and ask to book Dr\. Lee, Tue 10:30, for the test patient Ehrcheck Test 4F2A, born 1990-01-01; then confirm\./,
    );
    const read = makeStep({ ...base, kind: 'vendor-read-free-slots', vendor: phone, window: tuesdayMorning });
    expect(read.instruction).toBe('Call +1 555 0100, ask which times are free with Dr. Lee on Tue morning and enter them. (Times are UTC; Tue is Tue 1 Dec 2026.)');
    expect(read.request).toBe('Which times are free with Dr. Lee on 2026-12-01 in the morning (UTC)?');
  });

  it('says times at the schedule’s offset, and names it', () => {
    const step = makeStep({ ...base, kind: 'vendor-book', vendor: phone, slot, person, utcOffset: '-05:00' });
    expect(step.instruction).toContain('book Dr. Lee, Tue 05:30, for the test patient');
    expect(step.instruction).toContain('(Times are UTC-05:00; Tue is Tue 1 Dec 2026.)');
    expect(step.request).toBe('Please book Dr. Lee on 2026-12-01 at 05:30 UTC-05:00 for Ehrcheck Test 4F2A, born 1990-01-01.');
  });

  it('registering: the test patient by name and birth date only', () => {
    expect(makeStep({ ...base, kind: 'vendor-register-patient', vendor: phone, person }).instruction).toBe(
      'Call +1 555 0100 and register the test patient Ehrcheck Test 4F2A, born 1990-01-01, as a patient; then confirm.',
    );
  });

  it('the test patient’s name comes from its run key, the same key always the same name', () => {
    const name = testPatientName('ehrc-run-7-patient-1');
    expect(name).toEqual(testPatientName('ehrc-run-7-patient-1'));
    expect(name.text).toMatch(/^Ehrcheck Test [0-9A-F]{4}$/);
    expect(name.birthDate).toBe('1990-01-01');
    expect(testPatientName('ehrc-run-7-patient-2').family).not.toBe(name.family);
  });
});

describe('the terminal, at the vendor’s product', () => {
  it('shows the phone step in the issue’s words and takes what the product said', async () => {
    const screen = new Screen();
    const operator = new TtyOperator({ input: screen.input, output: screen.output });
    const asking = operator.perform(makeStep({ ...base, kind: 'vendor-book', vendor: phone, slot, person }));
    const shown = await screen.waitFor('What did the product say?');
    expect(shown).toContain("A person is needed at the vendor's product (epic):");
    expect(shown).toContain('Call +1 555 0100 and book Dr. Lee, Tue 10:30, for the test patient Ehrcheck Test 4F2A, born 1990-01-01; then confirm.');
    await screen.type(KEYS.enter);
    const result = await asking;
    expect(result).toMatchObject({ outcome: 'done', by: 'tty', vendorSaidYes: true });
    expect(result.confirmedAtMs).toBeGreaterThanOrEqual(result.askedAtMs);
  });

  it('a refusal the person heard is a `no`, not a skip', async () => {
    const screen = new Screen();
    const operator = new TtyOperator({ input: screen.input, output: screen.output });
    const asking = operator.perform(makeStep({ ...base, kind: 'vendor-book', vendor: phone, slot, person }));
    await screen.waitFor('It said it could not');
    await screen.type(KEYS.down);
    await screen.type(KEYS.enter);
    expect(await asking).toMatchObject({ outcome: 'done', vendorSaidYes: false });
  });

  it('takes the free times as typed', async () => {
    const screen = new Screen();
    const operator = new TtyOperator({ input: screen.input, output: screen.output });
    const asking = operator.perform(makeStep({ ...base, kind: 'vendor-read-free-slots', vendor: phone, window: tuesdayMorning }));
    await screen.waitFor('Times the product said are free');
    await screen.type(`10:30, 11:00${KEYS.enter}`);
    expect(await asking).toMatchObject({ outcome: 'done', reading: '10:30, 11:00' });
  });
});

describe('free times a person read', () => {
  it('are clock times on the asked day, at the stated offset', () => {
    expect(readVendorTimes('10:30, 11:00', tuesdayMorning, '+00:00')).toEqual([{ start: '2026-12-01T10:30:00Z' }, { start: '2026-12-01T11:00:00Z' }]);
    // At UTC-05:00, Tuesday morning is 05:00Z to 17:00Z, and "10:30" is 15:30Z.
    const eastern = { start: '2026-12-01T05:00:00.000Z', end: '2026-12-01T17:00:00.000Z' };
    expect(readVendorTimes('10:30 and 11:15am', eastern, '-05:00')).toEqual([{ start: '2026-12-01T15:30:00Z' }, { start: '2026-12-01T16:15:00Z' }]);
  });

  it('take ISO date-times, lists, {times} and "none"', () => {
    expect(readVendorTimes(['2026-12-01T09:00:00Z', '9:30'], tuesdayMorning, '+00:00')).toEqual([{ start: '2026-12-01T09:00:00Z' }, { start: '2026-12-01T09:30:00Z' }]);
    expect(readVendorTimes({ times: ['09:00:00', '9.30'] }, tuesdayMorning, '+00:00')).toEqual([{ start: '2026-12-01T09:00:00Z' }, { start: '2026-12-01T09:30:00Z' }]);
    expect(readVendorTimes('none', tuesdayMorning, '+00:00')).toEqual([]);
    expect(readVendorTimes('', tuesdayMorning, '+00:00')).toEqual([]);
  });

  it('refuse a time outside the stretch asked about, and anything that is not a time', () => {
    expect(() => readVendorTimes('2:15 pm', tuesdayMorning, '+00:00')).toThrow(ReadingError);
    expect(() => readVendorTimes('10:30, soon', tuesdayMorning, '+00:00')).toThrow(/not a time: soon/);
    expect(() => readVendorTimes('25:00', tuesdayMorning, '+00:00')).toThrow(ReadingError);
  });

  it('a person is asked about the first whole weekday half-day of a window, at its offset', () => {
    // Friday 4 December 2026, 13:10 UTC: the afternoon has begun; the next whole half-day is Monday morning.
    expect(nextHalfDay('2026-12-04T13:10:00Z', '2026-12-18T00:00:00Z', '+00:00')).toEqual({ start: '2026-12-07T00:00:00.000Z', end: '2026-12-07T12:00:00.000Z', part: 'morning' });
    expect(nextHalfDay('2026-12-01T08:00:00Z', '2026-12-18T00:00:00Z', '-05:00')).toEqual({ start: '2026-12-01T17:00:00.000Z', end: '2026-12-02T05:00:00.000Z', part: 'afternoon' });
  });
});

describe('what a person at the vendor’s product can judge', () => {
  it('is operator for what a person can ask, impossible for what needs simultaneity or repeated reads', () => {
    const can = vendorAbilities({ kind: 'person', channel: phone, practitioner: 'Dr. Lee' });
    expect(can).toMatchObject({ freeSlots: { by: 'person' }, book: { by: 'person' }, registerPatient: { by: 'person' }, bookingKey: false, findBooking: { by: 'none' } });
    const methods = vendorFindingMethods(can, 'person');
    for (const id of ['read-through', 'write-lands', 'write-idempotent', 'conflict-refused', 'patient-matched', 'vendor-to-ehr-lag'] as const) expect(methods[id]?.method, id).toBe('operator');
    expect(methods['ehr-to-vendor-lag']?.method).toBe('impossible');
    expect(methods['double-booking-race']?.method).toBe('impossible');
  });
});
