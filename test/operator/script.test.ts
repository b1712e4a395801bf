// The scripted operator: the script file is checked in full before a run (InputError naming file and field),
// and each step is answered by a real shell command or a real HTTP call on loopback.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { makeStep } from '../../src/operator/instructions.js';
import { checkOperatorScript, loadOperatorScript, type OperatorScript } from '../../src/operator/script-file.js';
import { ScriptOperator } from '../../src/operator/script.js';

const base = { connection: 'epic', ehrBaseUrl: 'http://127.0.0.1:1/api/FHIR/R4', runId: 'ehrc-run-7' };
const slot = { id: 'dr-lee-202612011030', start: '2026-12-01T10:30:00.000Z', end: '2026-12-01T11:00:00.000Z' };
const blockStep = makeStep({ ...base, kind: 'block-slot', slot, schedule: 'Schedule/dr-lee' });
const bookStep = makeStep({ ...base, kind: 'book-slot', slot, schedule: 'Schedule/dr-lee', patient: 'Patient/p1', key: 'ehrc-run-7-person-booking-1' });
const readStep = makeStep({ ...base, kind: 'read-free-slots', schedule: 'Schedule/dr-lee', window: { start: '2026-11-30T09:00:00.000Z', end: '2026-12-04T09:00:00.000Z' } });

const script = (steps: OperatorScript['steps'], timeoutSeconds = 10): OperatorScript => ({ file: 'test-script.yaml', timeoutSeconds, steps });
const check = (doc: unknown, env: NodeJS.ProcessEnv = {}) => checkOperatorScript(doc, 'ops.yaml', { env, ehrHosts: ['ehr.example.org'] });

function problemsOf(fn: () => unknown): Array<{ field: string; message: string }> {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error.problems.map(({ field, message }) => ({ field, message }));
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('checking the script file', () => {
  it('accepts each kind of step, in either form, with a default timeout', () => {
    const ok = check(
      {
        version: 1,
        steps: [
          { kind: 'block-slot', command: 'echo "$EHRC_SLOT_ID"' },
          { kind: 'free-slot', http: { method: 'POST', url: 'http://127.0.0.1:9/staff/slots/{{slot.id}}/free' } },
          { kind: 'book-slot', connection: 'epic', http: { method: 'POST', url: '{{env.STAFF}}/appointments', body: { slot: '{{slot.id}}', key: '{{key}}' } } },
          { kind: 'cancel', http: { method: 'POST', url: 'https://ehr.example.org/cancel/{{appointment.id}}' }, timeoutSeconds: 5 },
          { kind: 'read-free-slots', command: 'cat slots.json' },
        ],
      },
      { STAFF: 'http://localhost:9/staff' },
    );
    expect(ok.timeoutSeconds).toBe(30);
    expect(ok.steps).toHaveLength(5);
  });

  it.each([
    ['no version', { steps: [{ kind: 'cancel', command: 'x' }] }, '', /needs version/],
    ['an unknown kind', { version: 1, steps: [{ kind: 'unblock', command: 'x' }] }, '/steps/0/kind', /must be one of: block-slot, free-slot, book-slot, cancel, read-free-slots/],
    ['an unknown key', { version: 1, steps: [{ kind: 'cancel', comand: 'x' }] }, '/steps/0/comand', /did you mean "command"/],
    ['no steps', { version: 1, steps: [] }, '/steps', /at least 1/],
    ['both answers', { version: 1, steps: [{ kind: 'cancel', command: 'x', http: { method: 'POST', url: 'http://127.0.0.1/' } }] }, '/steps/0', /exactly one answer/],
    ['no answer', { version: 1, steps: [{ kind: 'cancel' }] }, '/steps/0', /exactly one answer/],
    ['a bad method', { version: 1, steps: [{ kind: 'cancel', http: { method: 'FETCH', url: 'http://127.0.0.1/' } }] }, '/steps/0/http/method', /must be one of/],
    ['a zero timeout', { version: 1, timeoutSeconds: 0, steps: [{ kind: 'cancel', command: 'x' }] }, '/timeoutSeconds', /above 0/],
    ['an unknown placeholder', { version: 1, steps: [{ kind: 'block-slot', command: 'echo {{slot.idd}}' }] }, '/steps/0/command', /unknown placeholder/],
    ['a fact the kind does not carry', { version: 1, steps: [{ kind: 'block-slot', http: { method: 'POST', url: 'http://127.0.0.1/{{appointment.id}}' } }] }, '/steps/0/http/url', /carry no appointment/],
    ['a placeholder in the body', { version: 1, steps: [{ kind: 'read-free-slots', http: { method: 'POST', url: 'http://127.0.0.1/', body: { s: ['{{key}}'] } } }] }, '/steps/0/http/body', /carry no key/],
    ['an unset variable', { version: 1, steps: [{ kind: 'cancel', http: { method: 'POST', url: '{{env.STAFF_URL}}/x' } }] }, '/steps/0/http/url', /STAFF_URL is not set/],
    ['another host', { version: 1, steps: [{ kind: 'cancel', http: { method: 'POST', url: 'http://203.0.113.5/x' } }] }, '/steps/0/http/url', /neither loopback nor the host of an EHR in the plan/],
    ['not a URL', { version: 1, steps: [{ kind: 'cancel', http: { method: 'POST', url: 'staff/cancel' } }] }, '/steps/0/http/url', /not an absolute http\(s\) URL/],
    ['another scheme', { version: 1, steps: [{ kind: 'cancel', http: { method: 'POST', url: 'file:///etc/passwd' } }] }, '/steps/0/http/url', /only http and https/],
    ['a kind answered twice', { version: 1, steps: [{ kind: 'cancel', command: 'x' }, { kind: 'cancel', command: 'y' }] }, '/steps/1/kind', /steps 0 and 1 would both answer it/],
  ])('refuses %s', (_name, doc, field, message) => {
    const problems = problemsOf(() => check(doc));
    expect(problems).toContainEqual({ field, message: expect.stringMatching(message) });
  });

  it('allows the same kind once per connection', () => {
    expect(() => check({ version: 1, steps: [{ kind: 'cancel', connection: 'epic', command: 'x' }, { kind: 'cancel', connection: 'epic#2', command: 'y' }] })).not.toThrow();
  });

  it('reads YAML or JSON from disk and names the file in every problem', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ehrc-ops-'));
    await writeFile(join(dir, 'ops.yaml'), 'version: 1\nsteps:\n  - kind: cancel\n    command: "true"\n');
    await writeFile(join(dir, 'bad.json'), '{"version": 1, "steps": [{"kind": "cancel"}]}');
    await writeFile(join(dir, 'broken.yaml'), 'version: 1\nsteps: [\n');
    await expect(loadOperatorScript('ops.yaml', { cwd: dir, env: {}, ehrHosts: [] })).resolves.toMatchObject({ file: 'ops.yaml' });
    await expect(loadOperatorScript('bad.json', { cwd: dir, env: {}, ehrHosts: [] })).rejects.toThrow(/^bad\.json: \/steps\/0: give exactly one answer/);
    await expect(loadOperatorScript('broken.yaml', { cwd: dir, env: {}, ehrHosts: [] })).rejects.toThrow(/^broken\.yaml: YAML syntax error/);
    await expect(loadOperatorScript('missing.yaml', { cwd: dir, env: {}, ehrHosts: [] })).rejects.toThrow(/missing\.yaml: file not found/);
  });
});

describe('answering a step with a shell command', () => {
  it('runs it with the step in EHRC_* variables, and confirms when it exits 0', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ehrc-ops-'));
    const out = join(dir, 'done.txt');
    const operator = new ScriptOperator(script([{ kind: 'book-slot', command: `printf '%s|%s|%s|%s|%s' "$EHRC_SLOT_ID" "$EHRC_SLOT_START" "$EHRC_SCHEDULE" "$EHRC_PATIENT" "$EHRC_KEY" > "$OUT"` }]), { PATH: process.env.PATH, OUT: out });
    const result = await operator.perform(bookStep);
    expect(result).toMatchObject({ outcome: 'done', by: 'script' });
    expect(result.confirmedAtMs!).toBeGreaterThanOrEqual(result.askedAtMs);
    expect(Date.parse(result.confirmedAt!)).toBeGreaterThanOrEqual(Date.parse(result.askedAt));
    expect(await readFile(out, 'utf8')).toBe(`${slot.id}|${slot.start}|Schedule/dr-lee|Patient/p1|ehrc-run-7-person-booking-1`);
  });

  it('a reading is the command’s stdout: JSON when it parses, else text', async () => {
    const json = new ScriptOperator(script([{ kind: 'read-free-slots', command: `printf '["%s-1","%s-2"]' "$EHRC_SCHEDULE_ID" "$EHRC_SCHEDULE_ID"` }]), { PATH: process.env.PATH });
    expect(await json.perform(readStep)).toMatchObject({ outcome: 'done', reading: ['dr-lee-1', 'dr-lee-2'] });
    const text = new ScriptOperator(script([{ kind: 'read-free-slots', command: 'echo "a-1, b-2"' }]), { PATH: process.env.PATH });
    expect(await text.perform(readStep)).toMatchObject({ outcome: 'done', reading: 'a-1, b-2' });
  });

  it('a failing command fails the step, with its exit code and first line of stderr', async () => {
    const operator = new ScriptOperator(script([{ kind: 'block-slot', command: 'echo "slot is locked by another user" >&2; exit 3' }]), { PATH: process.env.PATH });
    const result = await operator.perform(blockStep);
    expect(result).toMatchObject({ outcome: 'failed', message: 'block-slot step of test-script.yaml: the command exited with code 3: slot is locked by another user' });
    expect(result.confirmedAt).toBeUndefined();
  });

  it('a command past its timeout is killed and fails the step', async () => {
    const operator = new ScriptOperator(script([{ kind: 'block-slot', command: 'sleep 20', timeoutSeconds: 0.3 }]), { PATH: process.env.PATH });
    const started = Date.now();
    const result = await operator.perform(blockStep);
    expect(result).toMatchObject({ outcome: 'failed', message: expect.stringMatching(/did not finish within 0\.3 s/) });
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('a kind the script does not answer is skipped, saying so', async () => {
    const operator = new ScriptOperator(script([{ kind: 'cancel', command: 'true' }]), {});
    expect(await operator.perform(blockStep)).toMatchObject({ outcome: 'skipped', message: 'the operator script test-script.yaml has no block-slot step' });
  });

  it('a step for another connection is not answered by a connection-bound one', async () => {
    const operator = new ScriptOperator(script([{ kind: 'block-slot', connection: 'epic#2', command: 'true' }]), { PATH: process.env.PATH });
    expect(await operator.perform(blockStep)).toMatchObject({ outcome: 'skipped' });
    expect(await operator.perform({ ...blockStep, connection: 'epic#2' })).toMatchObject({ outcome: 'done' });
  });
});

describe('answering a step with an HTTP call', () => {
  let server: Server;
  let origin: string;
  const seen: Array<{ method: string; url: string; body: string; type?: string }> = [];
  let reply: (req: IncomingMessage) => { status: number; body: string } | 'hang' = () => ({ status: 200, body: '{}' });

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      seen.push({ method: req.method!, url: req.url!, body, type: req.headers['content-type'] });
      const answer = reply(req);
      if (answer === 'hang') return;
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('templates the URL (encoded) and the JSON body, and confirms on 2xx', async () => {
    seen.length = 0;
    reply = () => ({ status: 201, body: '{"id":"appt-1"}' });
    const operator = new ScriptOperator(
      script([{ kind: 'book-slot', http: { method: 'POST', url: '{{env.STAFF}}/appointments?patient={{patient}}', body: { slot: '{{slot.id}}', identifier: 'urn:ehr-check:booking|{{key}}', tags: [{ code: '{{run.id}}' }] } } }]),
      { STAFF: `${origin}/staff` },
    );
    expect(await operator.perform(bookStep)).toMatchObject({ outcome: 'done', by: 'script' });
    expect(seen).toEqual([
      {
        method: 'POST',
        url: '/staff/appointments?patient=Patient%2Fp1',
        body: JSON.stringify({ slot: slot.id, identifier: 'urn:ehr-check:booking|ehrc-run-7-person-booking-1', tags: [{ code: 'ehrc-run-7' }] }),
        type: 'application/json',
      },
    ]);
  });

  it('a reading is the JSON answer', async () => {
    reply = () => ({ status: 200, body: JSON.stringify([{ id: 'dr-lee-1', status: 'free' }]) });
    const operator = new ScriptOperator(script([{ kind: 'read-free-slots', http: { method: 'GET', url: `${origin}/slots?schedule={{schedule}}&start={{window.start}}` } }]), {});
    expect(await operator.perform(readStep)).toMatchObject({ outcome: 'done', reading: [{ id: 'dr-lee-1', status: 'free' }] });
    expect(seen.at(-1)!.url).toBe('/slots?schedule=Schedule%2Fdr-lee&start=2026-11-30T09%3A00%3A00.000Z');
  });

  it('an error answer fails the step with its status and message', async () => {
    reply = () => ({ status: 409, body: JSON.stringify({ error: 'conflict', message: 'Slot/x is booked; cancel its appointment first' }) });
    const operator = new ScriptOperator(script([{ kind: 'block-slot', http: { method: 'POST', url: `${origin}/slots/{{slot.id}}/block` } }]), {});
    expect(await operator.perform(blockStep)).toMatchObject({
      outcome: 'failed',
      message: `block-slot step of test-script.yaml: POST /slots/${slot.id}/block answered HTTP 409: Slot/x is booked; cancel its appointment first`,
    });
  });

  it('a call that does not answer in time fails the step', async () => {
    reply = () => 'hang';
    const operator = new ScriptOperator(script([{ kind: 'block-slot', http: { method: 'POST', url: `${origin}/slow` }, timeoutSeconds: 0.3 }]), {});
    expect(await operator.perform(blockStep)).toMatchObject({ outcome: 'failed', message: expect.stringMatching(/did not answer within 0\.3 s/) });
  });

  it('never calls a host other than loopback or the step’s own EHR', async () => {
    const operator = new ScriptOperator(script([{ kind: 'block-slot', http: { method: 'POST', url: 'http://ehr.example.org/slots/{{slot.id}}' } }]), {});
    expect(await operator.perform(blockStep)).toMatchObject({ outcome: 'failed', message: expect.stringMatching(/refusing to call ehr\.example\.org/) });
  });
});
