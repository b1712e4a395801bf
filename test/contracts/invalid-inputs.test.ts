// Every row of the table, through loadPlan (the plan names its manifest and registry, so their problems
// come back through it too, naming their own file), and the manifest and registry rows through their own
// loaders as well.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError, type InputProblem } from '../../src/errors.js';
import { loadManifest, loadPlan, loadRegistry } from '../../src/contracts/index.js';
import { MANIFEST_CASES, PLAN_CASES, REGISTRY_CASES, type InvalidCase } from './cases.js';
import { Workspace } from './workspace.js';

let ws: Workspace;
beforeEach(() => (ws = new Workspace()));
afterEach(() => ws.dispose());

async function problemsOf(load: () => Promise<unknown>): Promise<InputProblem[]> {
  try {
    await load();
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
  throw new Error('expected an InputError, but the file loaded');
}

function expectProblem(problems: InputProblem[], row: InvalidCase): void {
  const match = problems.find((p) => p.file === row.file && p.field === row.field && p.message.includes(row.message));
  expect(match, `expected ${row.file}: ${row.field}: …${row.message}…\ngot:\n${problems.map((p) => `${p.file}: ${p.field}: ${p.message}`).join('\n')}`).toBeDefined();
  for (const p of problems) {
    // One line per problem, in plain words, without ajv's combinator noise.
    expect(p.message).not.toMatch(/\n|must match|anyOf|oneOf|discriminator|must NOT have/);
    if (row.secret) expect(`${p.field} ${p.message}`).not.toContain(row.secret);
  }
}

describe('invalid inputs are refused with the file, the field and what is expected', () => {
  const rows = [...PLAN_CASES, ...MANIFEST_CASES, ...REGISTRY_CASES];

  it('has a table of at least 24 invalid plans and manifests, and some registries', () => {
    expect(PLAN_CASES.length + MANIFEST_CASES.length).toBeGreaterThanOrEqual(24);
    expect(REGISTRY_CASES.length).toBeGreaterThanOrEqual(3);
  });

  it.each(rows.map((row) => [row.name, row] as const))('%s (through loadPlan)', async (_name, row) => {
    row.arrange(ws);
    expectProblem(await problemsOf(() => loadPlan('plan.yaml', { cwd: ws.dir })), row);
  });

  it.each(MANIFEST_CASES.map((row) => [row.name, row] as const))('%s (through loadManifest)', async (_name, row) => {
    row.arrange(ws);
    expectProblem(await problemsOf(() => loadManifest('vendor-manifest.json', { cwd: ws.dir })), row);
  });

  it.each(REGISTRY_CASES.map((row) => [row.name, row] as const))('%s (through loadRegistry)', async (_name, row) => {
    row.arrange(ws);
    expectProblem(await problemsOf(() => loadRegistry('certifications.json', { cwd: ws.dir })), row);
  });
});

describe('how problems are reported', () => {
  it('reports every problem of a file at once, one per problem', async () => {
    const doc = ws.read('plan.yaml');
    doc.gate.minScore = 150;
    doc.checks.coverage = { weigth: 1 };
    doc.connections[0].vendor.auth = { type: 'bearer' };
    ws.write('plan.yaml', doc);
    const problems = await problemsOf(() => loadPlan('plan.yaml', { cwd: ws.dir }));
    expect(problems.map((p) => p.field).sort()).toEqual(['/checks/coverage/weigth', '/connections/0/vendor/auth', '/gate/minScore']);
  });

  it('reports the problems of the manifest and of the registry together', async () => {
    MANIFEST_CASES[0]!.arrange(ws);
    REGISTRY_CASES[0]!.arrange(ws);
    const problems = await problemsOf(() => loadPlan('plan.yaml', { cwd: ws.dir }));
    expect(problems.map((p) => p.file).sort()).toEqual(['certifications.json', 'vendor-manifest.json']);
  });

  it('names a secret key once, as a secret, not also as an unknown key', async () => {
    const doc = ws.read('plan.yaml');
    doc.connections[0].vendor.auth.token = 'abc';
    ws.write('plan.yaml', doc);
    const problems = await problemsOf(() => loadPlan('plan.yaml', { cwd: ws.dir }));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toContain('put it in an environment variable and give its name as tokenEnv');
  });

  it('names a file outside the working folder by its absolute path', async () => {
    const problems = await problemsOf(() => loadPlan(ws.path('missing.yaml'), { cwd: '/' + 'nowhere-in-particular' }));
    expect(problems).toEqual([{ file: ws.path('missing.yaml'), field: '', message: 'file not found' }]);
  });

  it('gives the line and column of a JSON syntax error', async () => {
    ws.write('plan.json', '{\n  "version": 1,\n  "buyer": { "name": "x" "sites": [] }\n}\n');
    const [problem] = await problemsOf(() => loadPlan('plan.json', { cwd: ws.dir }));
    expect(problem!.message).toMatch(/^JSON syntax error at line 3, column 26: /);
  });
});
