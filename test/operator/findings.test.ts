// What becomes of a finding when its operator step goes wrong, in a real run on the `epic` flavor: a step the
// script tried and failed (a command's exit code) leaves the finding `error`, with the command's own words; a
// step the script has no answer for leaves it `skip`, saying so. What the person could not undo is a leftover.
import { writeFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOperatorScript } from '../../src/operator/script-file.js';
import { ScriptOperator } from '../../src/operator/script.js';
import type { Operator, StepKind } from '../../src/operator/types.js';
import { consoleSlotStatuses, evaluateWith, planFor, startRealWorld, type Evaluation, type RealWorld } from '../real-ehrs/world.js';

describe('an operator script that fails one step and lacks others', () => {
  let world: RealWorld;
  let run: Evaluation;

  beforeAll(async () => {
    world = await startRealWorld('epic');
    const dir = await mkdtemp(join(tmpdir(), 'ehrc-ops-'));
    await writeFile(
      join(dir, 'partial.yaml'),
      [
        'version: 1',
        'steps:',
        '  - kind: read-free-slots',
        '    http: { method: GET, url: "{{env.EHRC_STAFF_URL}}/slots?schedule={{schedule}}&status=free&start={{window.start}}&end={{window.end}}" }',
        '  - kind: block-slot',
        '    command: echo "the slot is locked by another user" >&2; exit 3',
        '',
      ].join('\n'),
    );
    const env = { EHRC_STAFF_URL: world.sandbox.staffUrl, PATH: process.env.PATH };
    const operator = new ScriptOperator(await loadOperatorScript('partial.yaml', { cwd: dir, env, ehrHosts: [] }), env);
    run = await evaluateWith(planFor(world, 'epic', { trials: 1 }), operator);
  }, 60_000);
  afterAll(async () => world?.close());

  it('a failed step makes its finding an error, in the command’s words', () => {
    expect(run.finding('conflict-refused')).toMatchObject({
      status: 'error',
      message: 'could not be probed: block-slot step of partial.yaml: the command exited with code 3: the slot is locked by another user',
      evidence: { method: 'operator' },
    });
  });

  it('a step the script does not answer makes its finding a skip, saying which', () => {
    expect(run.finding('ehr-to-vendor-lag')).toMatchObject({
      status: 'skip',
      message: 'the book-slot step was not done: the operator script partial.yaml has no book-slot step',
      evidence: { method: 'operator' },
    });
  });

  it('the rest is judged as usual', () => {
    for (const id of ['read-through', 'write-lands', 'write-idempotent', 'patient-matched', 'vendor-to-ehr-lag'] as const) {
      expect(run.finding(id).status, `${id}: ${run.finding(id).message}`).toBe('pass');
    }
  });

  it('bookings nobody could cancel are reported as left over', () => {
    const leftover = run.report.cleanup.leftover.filter((l) => l.startsWith('Appointment/'));
    expect(leftover.length).toBeGreaterThan(0);
    expect(leftover).toContainEqual(expect.stringMatching(/the run's booking could not be cancelled in the EHR: the cancel step was not done: the operator script partial\.yaml has no cancel step/));
  });
});

describe('a reading the person passes on', () => {
  let world: RealWorld;
  afterAll(async () => world?.close());

  it('is asked for once per run: every finding that needed it is skipped with that reason', async () => {
    world = await startRealWorld('epic');
    const asked: StepKind[] = [];
    // A script with nothing to answer a reading with: the step is skipped, as a person typing "skip" would.
    const script = new ScriptOperator({ file: 'empty.yaml', timeoutSeconds: 5, steps: [{ kind: 'cancel', command: 'true' }] }, {});
    const counting: Operator = { kind: 'script', available: true, perform: (step, signal) => (asked.push(step.kind), script.perform(step, signal)) };
    const run = await evaluateWith(planFor(world, 'epic', { trials: 1 }), counting);
    expect(asked).toEqual(['read-free-slots']);
    const reason = 'the read-free-slots step was not done: the operator script empty.yaml has no read-free-slots step';
    expect(run.finding('read-through')).toMatchObject({ status: 'skip', message: reason });
    expect(run.finding('write-lands')).toMatchObject({ status: 'skip', message: `the EHR's free slots were not read: ${reason}` });
    expect(run.finding('ehr-to-vendor-lag')).toMatchObject({ status: 'skip', message: reason });
    expect(run.finding('vendor-to-ehr-lag')).toMatchObject({ status: 'skip', message: reason });
    expect(run.findings.filter((f) => f.status === 'error')).toEqual([]);
  }, 60_000);
});

describe('a slot the person could not unblock during the probe', () => {
  let world: RealWorld;
  afterAll(async () => world?.close());

  it('is asked for again when the run cleans up, and the EHR ends as it was', async () => {
    world = await startRealWorld('epic');
    const dir = await mkdtemp(join(tmpdir(), 'ehrc-ops-'));
    const free = `node -e "fetch(process.env.EHRC_STAFF_URL + '/slots/' + process.env.EHRC_SLOT_ID + '/free', { method: 'POST' }).then((r) => process.exit(r.ok ? 0 : 1))"`;
    await writeFile(
      join(dir, 'flaky.yaml'),
      [
        'version: 1',
        'steps:',
        '  - kind: read-free-slots',
        '    http: { method: GET, url: "{{env.EHRC_STAFF_URL}}/slots?schedule={{schedule}}&status=free&start={{window.start}}&end={{window.end}}" }',
        '  - kind: block-slot',
        '    http: { method: POST, url: "{{env.EHRC_STAFF_URL}}/slots/{{slot.id}}/block" }',
        '  - kind: free-slot',
        // Fails the first time (the person was called away), works the next.
        `    command: 'test -e "$MARK" || { touch "$MARK"; echo "called away" >&2; exit 1; }; ${free.replace(/'/g, "''")}'`,
        '  - kind: cancel',
        '    http: { method: POST, url: "{{env.EHRC_STAFF_URL}}/appointments/{{appointment.id}}/cancel" }',
        '',
      ].join('\n'),
    );
    const env = { EHRC_STAFF_URL: world.sandbox.staffUrl, PATH: process.env.PATH, MARK: join(dir, 'mark') };
    const operator = new ScriptOperator(await loadOperatorScript('flaky.yaml', { cwd: dir, env, ehrHosts: [] }), env);
    const before = await consoleSlotStatuses(world.sandbox);
    const run = await evaluateWith(planFor(world, 'epic', { trials: 1 }), operator, ['bidirectional']);
    const conflict = run.finding('conflict-refused');
    expect(conflict.status).toBe('pass');
    expect((conflict.evidence.operatorSteps as Array<{ kind: string; outcome: string; message?: string }>).map((s) => [s.kind, s.outcome])).toEqual([['block-slot', 'done'], ['free-slot', 'failed']]);
    expect(await consoleSlotStatuses(world.sandbox)).toEqual(before);
    expect(run.report.cleanup.leftover.filter((l) => !l.startsWith('Patient/'))).toEqual([]);
  }, 60_000);
});
