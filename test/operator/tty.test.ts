// The terminal operator, driven through the real @inquirer prompts on injected streams: the person is shown the
// step, confirms or skips it, or types what they read; the moments of asking and confirming are kept.
import { describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/io.js';
import { createProgress } from '../../src/cli/progress.js';
import { makeStep } from '../../src/operator/instructions.js';
import { TtyOperator, noOperator } from '../../src/operator/tty.js';
import { NO_OPERATOR_REASON } from '../../src/operator/types.js';
import { KEYS, Screen } from './screen.js';

const base = { connection: 'epic', ehrBaseUrl: 'http://127.0.0.1:1/api/FHIR/R4', runId: 'ehrc-run-3' };
const slot = { id: 'dr-lee-202612011030', start: '2026-12-01T10:30:00.000Z', end: '2026-12-01T11:00:00.000Z' };
const block = makeStep({ ...base, kind: 'block-slot', slot, schedule: 'Schedule/dr-lee' });
const read = makeStep({ ...base, kind: 'read-free-slots', schedule: 'Schedule/dr-lee', window: { start: '2026-11-30T09:00:00.000Z', end: '2026-12-04T09:00:00.000Z' } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the terminal operator', () => {
  it('shows the step in plain words, and records when the person confirmed', async () => {
    const screen = new Screen();
    const operator = new TtyOperator({ input: screen.input, output: screen.output });
    const asking = operator.perform(block);
    const shown = await screen.waitFor('When it is done in the EHR:');
    expect(shown).toContain('A person at the EHR is needed (epic):');
    expect(shown).toContain('Block the Tue 1 Dec 2026 10:30 UTC slot of schedule dr-lee (Slot dr-lee-202612011030) so that it cannot be booked, then confirm.');
    // The person takes a while in the EHR's screens before confirming.
    await sleep(150);
    await screen.type(KEYS.enter);
    const result = await asking;
    expect(result).toMatchObject({ outcome: 'done', by: 'tty' });
    expect(result.confirmedAtMs! - result.askedAtMs).toBeGreaterThanOrEqual(140);
    expect(Date.parse(result.confirmedAt!)).toBeGreaterThanOrEqual(Date.parse(result.askedAt));
  });

  it('lets the person skip a step', async () => {
    const screen = new Screen();
    const operator = new TtyOperator({ input: screen.input, output: screen.output });
    const asking = operator.perform(block);
    await screen.waitFor('Skip this step');
    await screen.type(KEYS.down);
    await screen.type(KEYS.enter);
    expect(await asking).toMatchObject({ outcome: 'skipped', by: 'tty', message: 'the person skipped this step' });
    expect((await asking).confirmedAt).toBeUndefined();
  });

  it('takes a reading as the ids the person types, insisting on an answer', async () => {
    const screen = new Screen();
    const operator = new TtyOperator({ input: screen.input, output: screen.output });
    const asking = operator.perform(read);
    const shown = await screen.waitFor('Slot ids shown free');
    expect(shown).toContain('Open schedule dr-lee from Mon 30 Nov 2026 09:00 UTC to Fri 4 Dec 2026 09:00 UTC');
    await screen.type(KEYS.enter);
    await screen.waitFor('type the ids, "none", or "skip"');
    await screen.type(`dr-lee-202612011030, dr-lee-202612011100${KEYS.enter}`);
    expect(await asking).toMatchObject({ outcome: 'done', reading: 'dr-lee-202612011030, dr-lee-202612011100' });
  });

  it('takes a count as two numbers: the test patient’s bookings on the slot, then all of them', async () => {
    const screen = new Screen();
    const operator = new TtyOperator({ input: screen.input, output: screen.output });
    const count = makeStep({ ...base, kind: 'count-bookings', slot, schedule: 'Schedule/dr-lee', patient: 'Patient/p7' });
    const asking = operator.perform(count);
    const shown = await screen.waitFor('Appointments on the slot for the test patient Patient/p7');
    expect(shown).toContain('how many are for the synthetic test patient Patient/p7, and how many in all?');
    await screen.type(`one${KEYS.enter}`);
    await screen.waitFor('type a number (0 if none), or "skip"');
    await screen.type(`${KEYS.backspace.repeat(3)}1${KEYS.enter}`);
    await screen.waitFor('Appointments on the slot in all');
    await screen.type(`2${KEYS.enter}`);
    expect(await asking).toMatchObject({ outcome: 'done', reading: { forPatient: 1, onSlot: 2 } });
  });

  it('a reading the person skips is skipped', async () => {
    const screen = new Screen();
    const operator = new TtyOperator({ input: screen.input, output: screen.output });
    const asking = operator.perform(read);
    await screen.waitFor('Slot ids shown free');
    await screen.type(`skip${KEYS.enter}`);
    expect(await asking).toMatchObject({ outcome: 'skipped', message: 'the person skipped the reading' });
  });

  it('asks one thing at a time, whatever asks at once', async () => {
    const screen = new Screen();
    const operator = new TtyOperator({ input: screen.input, output: screen.output });
    const first = operator.perform(block);
    const second = operator.perform(read);
    await screen.waitFor('When it is done in the EHR:');
    await sleep(100);
    expect(screen.shown).not.toContain('Open schedule dr-lee');
    await screen.type(KEYS.enter);
    expect(await first).toMatchObject({ outcome: 'done' });
    await screen.waitFor('Slot ids shown free');
    await screen.type(`none${KEYS.enter}`);
    expect(await second).toMatchObject({ outcome: 'done', reading: 'none' });
  });

  it('an interrupted run stops asking', async () => {
    const screen = new Screen();
    const operator = new TtyOperator({ input: screen.input, output: screen.output });
    const stop = new AbortController();
    const asking = operator.perform(block, stop.signal);
    await screen.waitFor('When it is done in the EHR:');
    stop.abort();
    expect(await asking).toMatchObject({ outcome: 'skipped', message: 'the run was interrupted' });
    expect(await operator.perform(block, stop.signal)).toMatchObject({ outcome: 'skipped', message: 'the run was interrupted' });
  });
});

describe('the progress line and the question share one terminal', () => {
  it('no progress is drawn while the person is asked; the latest is drawn once they answer', async () => {
    const screen = new Screen();
    // The run's progress line, drawn as on a terminal, onto the same screen the question is on.
    const io: Io = { out: () => {}, err: (text) => void screen.output.write(text), env: {}, stdoutIsTTY: true, stdinIsTTY: true, cwd: '.' };
    const progress = createProgress(io, { tty: true });
    const operator = new TtyOperator({ input: screen.input, output: screen.output, progress });
    progress('freshness: 3 trial(s) each way');
    const asking = operator.perform(block);
    await screen.waitFor('When it is done in the EHR:');
    const before = screen.shown;
    // Other connections keep probing while the question is up.
    progress('epic#2: bidirectional probes');
    progress('2/3 connections probed');
    await sleep(50);
    expect(screen.shown).toBe(before);
    await screen.type(KEYS.enter);
    expect(await asking).toMatchObject({ outcome: 'done' });
    const after = screen.shown.slice(before.length);
    expect(after).toContain('2/3 connections probed');
    expect(after).not.toContain('epic#2: bidirectional probes');
  });

  it('plain progress lines (no terminal) wait for the answer too, and hold nests', () => {
    let err = '';
    const io: Io = { out: () => {}, err: (text) => void (err += text), env: {}, stdoutIsTTY: false, stdinIsTTY: true, cwd: '.' };
    const progress = createProgress(io, {});
    const outer = progress.hold();
    const inner = progress.hold();
    progress('one');
    progress('two');
    inner();
    expect(err).toBe('');
    outer();
    outer(); // a second release changes nothing
    expect(err).toMatch(/^ *\d+\.\ds two\n$/);
  });
});

describe('no operator', () => {
  it('is not available, and skips every step with the reason', async () => {
    const operator = noOperator(NO_OPERATOR_REASON);
    expect(operator).toMatchObject({ kind: 'none', available: false, unavailableReason: 'needs a person at the EHR: run in a terminal, or give --operator-script' });
    expect(await operator.perform(block)).toMatchObject({ outcome: 'skipped', by: 'none', message: NO_OPERATOR_REASON });
  });
});
