// What a step says to a person, the facts a script gets from it (templating and EHRC_* variables), and how a
// reading of the schedule screen is understood.
import { describe, expect, it } from 'vitest';
import { instructionFor, makeStep, whenText } from '../../src/operator/instructions.js';
import { readFreeSlots } from '../../src/operator/reading.js';
import { fill, fillJson, placeholderProblem, placeholders, stepEnv, TemplateError } from '../../src/operator/template.js';
import type { OperatorStep } from '../../src/operator/types.js';

const base = { connection: 'epic', ehrBaseUrl: 'http://127.0.0.1:9/api/FHIR/R4', runId: 'ehrc-run-1' };
const slot = { id: 'dr-lee-202612011030', start: '2026-12-01T10:30:00.000Z', end: '2026-12-01T11:00:00.000Z' };

const block = makeStep({ ...base, kind: 'block-slot', slot, schedule: 'Schedule/dr-lee' });
const book = makeStep({ ...base, kind: 'book-slot', slot, schedule: 'Schedule/dr-lee', patient: 'Patient/p 1', key: 'ehrc-run-1-person-booking-4' });
const cancel = makeStep({ ...base, kind: 'cancel', slot, schedule: 'Schedule/dr-lee', patient: 'Patient/p1', appointment: 'appt-9' });
const read = makeStep({ ...base, kind: 'read-free-slots', schedule: 'Schedule/dr-lee', window: { start: '2026-11-30T09:00:00.000Z', end: '2026-12-04T09:00:00.000Z' } });

describe('instructions', () => {
  it('say what to do, on which slot, in plain words', () => {
    expect(whenText(slot.start)).toBe('Tue 1 Dec 2026 10:30 UTC');
    expect(block.instruction).toBe('Block the Tue 1 Dec 2026 10:30 UTC slot of schedule dr-lee (Slot dr-lee-202612011030) so that it cannot be booked, then confirm.');
    expect(instructionFor({ ...base, kind: 'free-slot', slot, schedule: 'Schedule/dr-lee' })).toMatch(/^Unblock the Tue 1 Dec 2026 10:30 UTC slot .* then confirm\.$/);
    expect(book.instruction).toMatch(/^Book the Tue 1 Dec 2026 10:30 UTC slot .* for the synthetic test patient Patient\/p 1, with booking reference ehrc-run-1-person-booking-4, then confirm\.$/);
    expect(cancel.instruction).toMatch(/^Cancel Appointment appt-9 on the Tue 1 Dec 2026 10:30 UTC slot/);
    expect(instructionFor({ ...base, kind: 'free-slot', slot: { id: 'dr-lee-1' }, schedule: 'Schedule/dr-lee' })).toBe('Unblock Slot dr-lee-1 of schedule dr-lee so that it can be booked again, then confirm.');
    expect(read.instruction).toBe('Open schedule dr-lee from Mon 30 Nov 2026 09:00 UTC to Fri 4 Dec 2026 09:00 UTC and list the ids of the slots it shows as free.');
  });
});

describe('templating', () => {
  it('fills step values, percent-encoded in a URL, and env values as they are', () => {
    const env = { STAFF: 'http://127.0.0.1:8080/staff' };
    expect(fill('{{env.STAFF}}/slots/{{slot.id}}/block', block, env, { encode: true })).toBe('http://127.0.0.1:8080/staff/slots/dr-lee-202612011030/block');
    expect(fill('{{ env.STAFF }}/x?patient={{patient}}', book, env, { encode: true })).toBe('http://127.0.0.1:8080/staff/x?patient=Patient%2Fp%201');
    expect(fill('{{schedule.id}} {{slot.start}} {{run.id}} {{step}}', block, env)).toBe('dr-lee 2026-12-01T10:30:00.000Z ehrc-run-1 block-slot');
    expect(fillJson({ slot: '{{slot.id}}', tags: [{ code: '{{run.id}}' }], n: 3, ok: true }, book, env)).toEqual({ slot: slot.id, tags: [{ code: 'ehrc-run-1' }], n: 3, ok: true });
  });

  it('refuses what a step does not carry, and an unset variable', () => {
    expect(() => fill('{{appointment.id}}', block, {})).toThrow(TemplateError);
    expect(() => fill('{{env.NOPE}}', block, {})).toThrow(/NOPE is not set/);
  });

  it('checks placeholders against the kind of step, before anything runs', () => {
    expect(placeholders('a {{slot.id}} b {{ env.X }}')).toEqual(['slot.id', 'env.X']);
    expect(placeholderProblem('slot.id', 'block-slot', {})).toBeUndefined();
    expect(placeholderProblem('appointment.id', 'block-slot', {})).toMatch(/block-slot steps carry no appointment/);
    expect(placeholderProblem('window.start', 'read-free-slots', {})).toBeUndefined();
    expect(placeholderProblem('slot.id', 'read-free-slots', {})).toMatch(/carry no slot/);
    expect(placeholderProblem('slots', 'block-slot', {})).toMatch(/unknown placeholder/);
    expect(placeholderProblem('env.X', 'block-slot', { X: '1' })).toBeUndefined();
    expect(placeholderProblem('env.X', 'block-slot', {})).toMatch(/X is not set/);
  });

  it('gives a command the step as EHRC_* variables', () => {
    const env = stepEnv(book as OperatorStep);
    expect(env).toMatchObject({
      EHRC_STEP: 'book-slot',
      EHRC_SLOT_ID: slot.id,
      EHRC_SLOT_START: slot.start,
      EHRC_SLOT_END: slot.end,
      EHRC_SCHEDULE: 'Schedule/dr-lee',
      EHRC_SCHEDULE_ID: 'dr-lee',
      EHRC_PATIENT: 'Patient/p 1',
      EHRC_KEY: 'ehrc-run-1-person-booking-4',
      EHRC_RUN_ID: 'ehrc-run-1',
      EHRC_CONNECTION: 'epic',
    });
    expect(env.EHRC_INSTRUCTION).toBe(book.instruction);
    expect(env).not.toHaveProperty('EHRC_APPOINTMENT_ID');
    expect(stepEnv(read)).toMatchObject({ EHRC_WINDOW_START: '2026-11-30T09:00:00.000Z', EHRC_WINDOW_END: '2026-12-04T09:00:00.000Z' });
  });
});

describe('readings of free slots', () => {
  it.each([
    ['typed ids', 'a-1, b-2  c-3;Slot/d-4', ['a-1', 'b-2', 'c-3', 'd-4']],
    ['"none"', 'none', []],
    ['a JSON list of ids', ['a-1', 'a-1', 'b-2'], ['a-1', 'b-2']],
    ['console slots (busy ones left out)', [{ id: 'a-1', status: 'free', start: 's', end: 'e', schedule: 'Schedule/x' }, { id: 'b-2', status: 'busy' }], ['a-1']],
    ['{slots: [...]}', { slots: [{ id: 'a-1' }] }, ['a-1']],
    ['a FHIR searchset', { resourceType: 'Bundle', entry: [{ resource: { resourceType: 'Slot', id: 'a-1', status: 'free' } }, { resource: { resourceType: 'OperationOutcome' } }] }, ['a-1']],
  ])('%s', (_name, reading, ids) => {
    expect(readFreeSlots(reading).map((s) => s.id)).toEqual(ids);
  });

  it('keeps start, end and schedule where the reading has them', () => {
    expect(readFreeSlots([{ id: 'a-1', start: 's', end: 'e', schedule: { reference: 'Schedule/x' } }])).toEqual([{ id: 'a-1', start: 's', end: 'e', schedule: 'Schedule/x' }]);
  });

  it.each([
    ['prose', 'the 10:30 one'],
    ['an object of another shape', { free: ['a'] }],
    ['a slot without an id', [{ start: 's' }]],
    ['a number', 42],
  ])('refuses %s', (_name, reading) => {
    expect(() => readFreeSlots(reading)).toThrow();
  });
});
