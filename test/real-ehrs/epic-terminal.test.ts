// A run on the `epic` flavor with a person at the terminal: real @inquirer prompts on injected streams, and a
// "person" that reads each step off the screen, does it in the EHR's own screens (the staff console), takes a
// second, and confirms. A person is slow, so the moment of their change is only known to lie between asking and
// confirming; where the EHR's API shows the change landing (Epic: the booking, by patient and date), the lag
// is timed from that narrower span instead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorStepRecord } from '../../src/operator/types.js';
import { TtyOperator } from '../../src/operator/tty.js';
import type { RunningSandbox } from '../../fixtures/sandbox/index.js';
import { KEYS, Screen } from '../operator/screen.js';
import { activeRunAppointments, consoleSlotStatuses, evaluateWith, planFor, startRealWorld, type Evaluation, type RealWorld } from './world.js';

const PERSON_TAKES_MS = 1_000;
const PROMPT = /A person at the EHR is needed[\s\S]*?(When it is done in the EHR:|Slot ids shown free[\s\S]*?this\s+step\):)/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function staff(sandbox: RunningSandbox, method: 'GET' | 'POST', path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${sandbox.staffUrl}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`staff ${method} ${path} answered ${res.status}: ${text}`);
  return JSON.parse(text);
}

/** "Tue 1 Dec 2026 10:30 UTC" → the next whole minute after it, as ISO: a person reads minutes, not seconds. */
function minuteAfter(text: string): string {
  const at = Date.parse(text.replace(/^\w{3} /, '').replace(' UTC', ' GMT'));
  return new Date(at + 60_000).toISOString();
}

/** Does what the screen asks, the way a person at the EHR would: through its own screens, and no faster. */
async function actOn(screen: Screen, shown: string, sandbox: RunningSandbox): Promise<string> {
  const read = /Open schedule (\S+) from (.+?) to (.+?) and list/.exec(shown);
  if (read) {
    const query = new URLSearchParams({ schedule: read[1]!, status: 'free', start: minuteAfter(read[2]!), end: minuteAfter(read[3]!) });
    const slots: Array<{ id: string }> = await staff(sandbox, 'GET', `/slots?${query}`);
    await screen.type(`${slots.map((s) => s.id).join(', ') || 'none'}${KEYS.enter}`);
    return 'read';
  }
  const unblock = /^\s*Unblock .*\(Slot (\S+)\)/m.exec(shown);
  const block = /^\s*Block .*\(Slot (\S+)\)/m.exec(shown);
  const book = /^\s*Book .*\(Slot (\S+)\) for the synthetic test patient (Patient\/[^,\s]+)/m.exec(shown);
  const cancel = /^\s*Cancel Appointment (\S+) on/m.exec(shown);
  if (unblock) await staff(sandbox, 'POST', `/slots/${unblock[1]}/free`);
  else if (block) await staff(sandbox, 'POST', `/slots/${block[1]}/block`);
  else if (book) await staff(sandbox, 'POST', '/appointments', { slot: book[1], patient: book[2] });
  else if (cancel) await staff(sandbox, 'POST', `/appointments/${cancel[1]}/cancel`);
  else throw new Error(`no step the person understands on the screen:\n${shown}`);
  await sleep(PERSON_TAKES_MS);
  await screen.type(KEYS.enter);
  return unblock ? 'unblock' : block ? 'block' : book ? 'book' : 'cancel';
}

describe('a run on the epic flavor with a person at the terminal', () => {
  let world: RealWorld;
  let before: Record<string, string>;
  let run: Evaluation;
  const done: string[] = [];

  beforeAll(async () => {
    world = await startRealWorld('epic');
    before = await consoleSlotStatuses(world.sandbox);
    const screen = new Screen(60_000);
    const evaluation = evaluateWith(planFor(world, 'epic', { trials: 1 }), new TtyOperator({ input: screen.input, output: screen.output }));
    try {
      for (;;) {
        const next = await Promise.race([screen.waitFor(PROMPT), evaluation.then(() => undefined)]);
        if (next === undefined) break;
        done.push(await actOn(screen, next, world.sandbox));
      }
      run = await evaluation;
    } finally {
      screen.close();
    }
  }, 120_000);
  afterAll(async () => world?.close());

  it('asked the person for each step the EHR’s API cannot do, and for nothing else', () => {
    // Read the schedule; block and unblock for conflict-refused; book and cancel for the lag trial; cancel the
    // vendor's bookings (Epic's API cannot) when cleaning up.
    expect(done.slice(0, 5)).toEqual(['read', 'block', 'unblock', 'book', 'cancel']);
    expect(done.slice(5).every((d) => d === 'cancel')).toBe(true);
    expect(run.findings.filter((f) => f.status === 'error').map((f) => `${f.id}: ${f.message}`)).toEqual([]);
  });

  it('each finding that needed the person records when it asked and when they confirmed', () => {
    for (const id of ['read-through', 'conflict-refused', 'ehr-to-vendor-lag'] as const) {
      const f = run.finding(id);
      expect(f.status, `${id}: ${f.message}`).toBe('pass');
      expect(f.evidence.method).toBe('operator');
      for (const step of f.evidence.operatorSteps as OperatorStepRecord[]) {
        expect(step).toMatchObject({ by: 'tty', outcome: 'done' });
        if (step.kind !== 'read-free-slots') expect(step.tookMs).toBeGreaterThanOrEqual(PERSON_TAKES_MS - 20);
      }
    }
  });

  it('the lag is timed from when the EHR’s API showed the change, not from the whole span the person took', () => {
    const lag = run.finding('ehr-to-vendor-lag').evidence as { errorBoundMs: number; operatorSteps: OperatorStepRecord[]; samples: Array<{ lowMs: number; highMs: number }> };
    const took = Math.min(...lag.operatorSteps.map((s) => s.tookMs!));
    expect(lag.samples).toHaveLength(1);
    // Widened to the person's span alone, the bound would be at least half of it.
    expect(lag.errorBoundMs).toBeLessThan(took / 2);
  });

  it('leaves the EHR as it was', async () => {
    expect(await activeRunAppointments(world.sandbox, run.runId)).toEqual([]);
    expect(await consoleSlotStatuses(world.sandbox)).toEqual(before);
  });
});
