// The mapping file through the built CLI: published schema, the shipped example valid, and a bad mapping (missing,
// unknown operation, bad JSONata, unknown placeholder, a param the plan lacks) refused with exit 2 naming the file
// and the field, before any work. Then a real run of a plan that points at the REST vendor.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { EXAMPLE_MAPPING, restConnection, startRestWorld } from './world.js';

const dir = mkdtempSync(join(tmpdir(), 'ehr-check-http-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const example = () => parse(readFileSync(EXAMPLE_MAPPING, 'utf8')) as Record<string, any>;

/** A plan next to `mapping.yaml` (written from `doc` unless it is undefined), pointing at closed loopback ports. */
function planWith(doc: Record<string, any> | undefined, params: Record<string, string> = { providerId: 'dr-lee' }): string {
  if (doc) writeFileSync(join(dir, 'mapping.yaml'), stringify(doc));
  else rmSync(join(dir, 'mapping.yaml'), { force: true });
  const plan = {
    version: 1,
    buyer: { name: 'Test Buyer', sites: [{ name: 'Main', system: 'athenahealth' }] },
    vendor: { name: 'REST vendor' },
    connections: [{
      system: 'athenahealth',
      ehr: { fhirBaseUrl: 'http://127.0.0.1:9/fhir', sandbox: true, auth: { type: 'none' } },
      vendor: { kind: 'http', baseUrl: 'http://127.0.0.1:9', auth: { type: 'none' }, mapping: './mapping.yaml', params },
    }],
  };
  writeFileSync(join(dir, 'plan.yaml'), stringify(plan));
  return 'plan.yaml';
}

describe('ehr-check schema vendor-mapping', () => {
  it('prints a schema the shipped example satisfies, and a plain validator can use', async () => {
    const r = await runCli(['schema', 'vendor-mapping']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(schema.$id).toBe('urn:ehr-check:schema:vendor-mapping:1');
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate(example())).toBe(true);
    expect(validate({ version: 1, operations: { bok: {} } })).toBe(false);
  });

  it('validate accepts the shipped example', async () => {
    const r = await runCli(['validate', EXAMPLE_MAPPING]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('valid vendor-mapping');
  });
});

describe('a bad mapping stops run --plan with exit 2, naming file and field', () => {
  const cases: Array<[string, Record<string, any> | undefined, RegExp, Record<string, string>?]> = [
    ['a missing file', undefined, /^ehr-check: mapping\.yaml: file not found$/m],
    ['an unknown operation', { ...example(), operations: { ...example().operations, bok: example().operations.book } }, /mapping\.yaml: \/operations\/bok: unknown key "bok" — did you mean "book"\?/],
    ['a JSONata expression that does not compile', (() => { const d = example(); d.operations.freeSlots.answer.slots = "data.{ 'start': "; return d; })(), /mapping\.yaml: \/operations\/freeSlots\/answer\/slots: not a JSONata expression/],
    ['an unknown placeholder', (() => { const d = example(); d.operations.book.request.body.start_time = '{{slto.start}}'; return d; })(), /mapping\.yaml: \/operations\/book\/request\/body: unknown placeholder \{\{slto\.start\}\}/],
    ['a param the plan does not give', example(), /plan\.yaml: \/connections\/0\/vendor\/params: the mapping mapping\.yaml uses \{\{params\.providerId\}\}: give providerId under vendor\.params/, {}],
  ];
  it.each(cases)('%s', async (_name, doc, message, params) => {
    const r = await runCli(['run', '--plan', planWith(doc, params), '--allow-writes', '--quiet'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});

describe('run --plan with an http vendor', () => {
  it('judges the REST vendor through the built CLI, with a copy of the shipped mapping beside the plan', async () => {
    const world = await startRestWorld();
    try {
      copyFileSync(EXAMPLE_MAPPING, join(dir, 'vendor-api.yaml'));
      const connection = { ...restConnection(world), vendor: { ...restConnection(world).vendor, mapping: './vendor-api.yaml' } };
      const plan = { version: 1, buyer: { name: 'Test Buyer', sites: [{ name: 'Main', system: 'athenahealth' }] }, vendor: { name: 'REST vendor' }, connections: [connection] };
      writeFileSync(join(dir, 'rest-plan.yaml'), stringify(plan));
      const r = await runCli(['run', '--plan', 'rest-plan.yaml', '--allow-writes', '--check', 'bidirectional', '--json', 'report.json', '--quiet'], { cwd: dir, timeoutMs: 120_000 });
      expect(r.stderr).toBe('');
      const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
      expect(report.connections[0].vendorKind).toBe('http');
      const lands = report.checks[0].findings.find((f: { id: string }) => f.id === 'write-lands');
      expect(lands.status).toBe('pass');
    } finally {
      await world.close();
    }
  }, 150_000);
});
