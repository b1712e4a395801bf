// The script form for steps at the vendor's product: the shipped chat script loads; a reply or confirmed
// expression where it makes no sense, or one that is not JSONata, is bad input (exit 2, naming file and field)
// before the run touches anything.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { handleError } from '../../src/cli/handle-error.js';
import type { Io } from '../../src/cli/io.js';
import { InputError } from '../../src/errors.js';
import { loadOperatorScript } from '../../src/operator/script-file.js';
import { CHAT_SCRIPT } from './world.js';

const env = { PATH: process.env.PATH };

async function scriptFile(lines: string[]): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'ehrc-person-'));
  await writeFile(join(dir, 'person.yaml'), [...lines, ''].join('\n'));
  return { dir, file: 'person.yaml' };
}

async function problemsOf(lines: string[]): Promise<string[]> {
  const { dir, file } = await scriptFile(lines);
  try {
    await loadOperatorScript(file, { cwd: dir, env, ehrHosts: [] });
  } catch (error) {
    if (error instanceof InputError) return error.problems.map((p) => `${p.file} ${p.field}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('an operator script for a person at the vendor’s product', () => {
  it('the shipped chat script loads, calling the plan’s own chat address', async () => {
    const script = await loadOperatorScript(CHAT_SCRIPT, { cwd: process.cwd(), env, ehrHosts: [] });
    expect(script.steps.map((s) => s.kind)).toEqual(['vendor-read-free-slots', 'vendor-book', 'vendor-register-patient']);
  });

  it('refuses a reply on an EHR step, a confirmed on a reading, and an expression that is not JSONata', async () => {
    expect(
      await problemsOf([
        'version: 1',
        'steps:',
        '  - { kind: read-free-slots, command: "echo none", reply: "reply" }',
        '  - { kind: vendor-read-free-slots, command: "echo none", confirmed: "true" }',
      ]),
    ).toEqual([
      expect.stringMatching(/^person\.yaml \/steps\/0\/reply: only steps at the vendor's product \(vendor-\*\) take a reply expression/),
      expect.stringMatching(/^person\.yaml \/steps\/1\/confirmed: only vendor-book and vendor-register-patient steps/),
    ]);
    expect(await problemsOf(['version: 1', 'steps:', '  - { kind: vendor-book, command: "echo ok", confirmed: "$contains(reply, " }'])).toEqual([
      expect.stringMatching(/^person\.yaml \/steps\/0\/confirmed: not a JSONata expression/),
    ]);
  });

  it('refuses a placeholder a vendor step does not carry, and an address that is neither loopback nor the plan’s', async () => {
    const step = (http: string) => ['version: 1', 'steps:', `  - { kind: vendor-register-patient, http: ${http} }`];
    expect(await problemsOf(step('{ method: POST, url: "{{vendor.address}}", body: { text: "{{slot.start}}" } }'))).toEqual([
      expect.stringContaining('/steps/0/http/body: {{slot.start}}: vendor-register-patient steps carry no slot'),
    ]);
    expect(await problemsOf(step('{ method: POST, url: "http://chat.example.com/chat", body: { text: "{{request}}" } }'))).toEqual([
      expect.stringContaining('/steps/0/http/url: chat.example.com is neither loopback nor the host of an EHR in the plan'),
    ]);
  });

  it('`run` with a bad script exits 2 before anything is written, naming the file and field', async () => {
    const { dir } = await scriptFile(['version: 1', 'steps:', '  - { kind: vendor-book, command: "echo ok", confirmed: "$contains(" }']);
    await writeFile(
      join(dir, 'plan.yaml'),
      [
        'version: 1',
        'buyer: { name: Test Buyer, sites: [{ name: Main, system: epic }] }',
        'vendor: { name: Chat Vendor }',
        'connections:',
        '  - system: epic',
        '    ehr: { fhirBaseUrl: "http://127.0.0.1:9/fhir", sandbox: true, auth: { type: none } }',
        '    vendor: { kind: person, channel: { type: chat, address: "http://127.0.0.1:9/chat" }, practitioner: Dr. Lee }',
        'checks: { bidirectional: { weight: 100 } }',
        '',
      ].join('\n'),
    );
    const said: string[] = [];
    const io: Io = { out: (t) => said.push(t), err: (t) => said.push(t), env, stdoutIsTTY: false, stdinIsTTY: false, cwd: dir };
    // The run command as the CLI calls it, and the CLI's one error handler (bin/ runs the built copy of both).
    const run = (await import('../../src/commands/run.js')).default;
    const code = await run({ plan: 'plan.yaml', allowWrites: true, operatorScript: 'person.yaml' }, io).catch((error: unknown) => handleError(error, io));
    expect(code).toBe(2);
    expect(said.join('')).toMatch(/person\.yaml.*\/steps\/0\/confirmed.*not a JSONata expression/s);
  });
});
