// The shipped examples must stay valid, and the CI workflow must gate on ehr-check's exit code.
// Runs the built CLI (build first: npx tsc -p .).
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BIN, runCli } from '../helpers/cli.js';
import { REPO } from '../helpers/paths.js';

const EXAMPLES = join(REPO, 'examples');
const RUN_LINE = 'ehr-check run --plan examples/plan.yaml --json report.json --junit junit.xml';

describe('examples/ validate against the schemas', () => {
  it.each([
    ['plan.yaml', 'plan'],
    ['vendor-manifest.json', 'manifest'],
    ['certifications.json', 'registry'],
    ['vendor-api.yaml', 'vendor-mapping'],
    ['vendor-kinds.plan.yaml', 'plan'],
  ])('%s is a valid %s', async (file, kind) => {
    const r = await runCli(['validate', join(EXAMPLES, file)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`valid ${kind}`);
  });

  it('the plan shows the three sites and every auth type', () => {
    const plan = parse(readFileSync(join(EXAMPLES, 'plan.yaml'), 'utf8')) as {
      buyer: { sites: Array<{ system: string }> };
      connections: Array<{ ehr: { auth: { type: string } }; vendor: { auth: { type: string } } }>;
    };
    expect(plan.buyer.sites.map((s) => s.system)).toEqual(['epic', 'eclinicalworks', 'athenahealth']);
    const authTypes = new Set(plan.connections.flatMap((c) => [c.ehr.auth.type, c.vendor.auth.type]));
    expect([...authTypes].sort()).toEqual(['backend-services', 'bearer', 'client-credentials', 'none']);
  });

  it('the registry holds active, suspended and expired listings', () => {
    const registry = JSON.parse(readFileSync(join(EXAMPLES, 'certifications.json'), 'utf8')) as {
      listings: Array<{ status: string; validUntil?: string }>;
    };
    const statuses = registry.listings.map((l) => l.status);
    expect(statuses).toContain('active');
    expect(statuses).toContain('suspended');
    const now = new Date('2026-01-01T00:00:00Z');
    expect(registry.listings.some((l) => l.status === 'active' && l.validUntil && new Date(l.validUntil) < now)).toBe(true);
  });
});

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string>;
}

describe('examples/ci/github-actions.yml', () => {
  const workflow = parse(readFileSync(join(EXAMPLES, 'ci', 'github-actions.yml'), 'utf8')) as {
    on: unknown;
    jobs: Record<string, { steps: Step[] }>;
  };
  const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
  const evaluate = steps.find((s) => s.run?.includes(RUN_LINE));

  it('installs ehr-check, runs the plan and branches on every exit code', () => {
    expect(steps.some((s) => /npm (install|i) (--global|-g) ehr-check/.test(s.run ?? ''))).toBe(true);
    expect(evaluate, `a step that runs: ${RUN_LINE}`).toBeDefined();
    const script = evaluate?.run ?? '';
    expect(script).toContain('code=$?');
    for (const code of ['0)', '1)', '2)', '3)']) expect(script).toContain(code);
    expect(script).toMatch(/exit "\$code"/);
  });

  it('uploads both reports even when the gate fails', () => {
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact'));
    expect(upload?.if).toBe('always()');
    expect(upload?.with?.path).toContain('report.json');
    expect(upload?.with?.path).toContain('junit.xml');
  });

  // The step's script, run by bash against the real CLI on an invalid plan: the job must fail with exit 2
  // and say that the input was bad.
  const work = mkdtempSync(join(tmpdir(), 'ehr-check-ci-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('fails the job with exit 2 and a clear annotation when the plan is invalid', async () => {
    mkdirSync(join(work, 'bin'));
    mkdirSync(join(work, 'examples'));
    const shim = join(work, 'bin', 'ehr-check');
    writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(shim, 0o755);
    writeFileSync(join(work, 'examples', 'plan.yaml'), 'version: 2\nbuyer: { name: Nobody }\n');
    const output = join(work, 'github-output');
    writeFileSync(output, '');

    const result = await bash(evaluate?.run ?? 'exit 99', work, {
      PATH: `${join(work, 'bin')}:${process.env.PATH ?? ''}`,
      GITHUB_OUTPUT: output,
      NO_COLOR: '1',
    });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('::error title=ehr-check::Bad input');
    expect(readFileSync(output, 'utf8')).toContain('exit-code=2');
  });
});

function bash(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // GitHub runs `run:` blocks with `bash -e {0}`.
    const child = spawn('bash', ['-e', '-c', script], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
