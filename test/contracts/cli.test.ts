// `ehr-check validate` and `ehr-check schema` through the built CLI (build first: npx tsc -p .).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { REAL_WORLD } from '../helpers/paths.js';
import { MANIFEST_CASES, PLAN_CASES, REGISTRY_CASES } from './cases.js';
import { FIXTURES, Workspace } from './workspace.js';

let ws: Workspace;
beforeEach(() => (ws = new Workspace()));
afterEach(() => ws.dispose());

const row = (name: string) => [...PLAN_CASES, ...MANIFEST_CASES, ...REGISTRY_CASES].find((r) => r.name === name)!;

describe('ehr-check validate', () => {
  it('says a valid plan is valid, with the manifest and registry it names (exit 0)', async () => {
    const r = await runCli(['validate', 'plan.yaml'], { cwd: ws.dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('plan.yaml: valid plan\nvendor-manifest.json: valid manifest\ncertifications.json: valid registry\n');
  });

  it.each([
    ['vendor-manifest.json', 'manifest'],
    ['certifications.json', 'registry'],
    ['report.json', 'report'],
  ])('says %s is a valid %s', async (file, kind) => {
    const r = await runCli(['validate', join(FIXTURES, file)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${join(FIXTURES, file)}: valid ${kind}\n`);
  });

  it.each([
    'unknown key typo',
    'wrong auth type',
    'a literal token',
    'minScore 150',
    'YAML syntax error',
    'missing manifest file',
    'manifest with a bad mechanism',
    'registry with a bad status',
    'connection system typo',
    'site system typo',
    'manifest system typo',
  ])('refuses a plan with %s: exit 2, one line per problem on stderr, nothing written', async (name) => {
    const c = row(name);
    c.arrange(ws);
    const before = readdirSync(ws.dir).sort();
    const r = await runCli(['validate', 'plan.yaml'], { cwd: ws.dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    const where = c.field ? `${c.file}: ${c.field}` : c.file;
    expect(lines.some((line) => line.startsWith(`ehr-check: ${where}: `) && line.includes(c.message))).toBe(true);
    if (c.secret) expect(r.stderr).not.toContain(c.secret);
    expect(readdirSync(ws.dir).sort()).toEqual(before);
  });

  it('refuses a file of no known kind, such as a real CapabilityStatement', async () => {
    const file = join(REAL_WORLD, 'capability', 'epic-jefferson-health-r4.json');
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot tell what this file is');
  });

  it('refuses a file that is not there', async () => {
    const r = await runCli(['validate', 'no-such-plan.yaml'], { cwd: ws.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ehr-check: no-such-plan.yaml: file not found\n');
  });
});

describe('ehr-check schema', () => {
  it.each(['plan', 'manifest', 'registry', 'report'])('prints the %s schema as JSON (exit 0)', async (name) => {
    const r = await runCli(['schema', name]);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(schema.$id).toBe(`urn:ehr-check:schema:${name}:1`);
    expect(schema.title).toBe(name);
  });

  it('refuses an unknown name, listing the known ones (exit 2)', async () => {
    const r = await runCli(['schema', 'plans']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown schema "plans": choose one of plan, manifest, registry, report');
  });

  it('prints schemas another validator can use on its own', async () => {
    // A plain draft-07 validator that knows nothing of ehr-check's discriminator or formats.
    const ajv = new Ajv({ strict: false, validateFormats: false });
    const plan = ajv.compile(JSON.parse((await runCli(['schema', 'plan'])).stdout));
    const doc = parse(readFileSync(join(FIXTURES, 'plan.yaml'), 'utf8')) as Record<string, any>;
    expect(plan(doc)).toBe(true);
    doc.connections[0].ehr.auth.alg = 'HS256';
    expect(plan(doc)).toBe(false);
    const report = ajv.compile(JSON.parse((await runCli(['schema', 'report'])).stdout));
    expect(report(JSON.parse(readFileSync(join(FIXTURES, 'report.json'), 'utf8')))).toBe(true);
  });
});
