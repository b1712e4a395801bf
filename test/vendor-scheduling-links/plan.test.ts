// A plan's scheduling-links vendor is checked before any work: a bad one is an InputError naming the file, the
// field and what it expects (exit 2), and a good one loads with what the adapter reads.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadPlan } from '../../src/contracts/load.js';
import { InputError } from '../../src/errors.js';
import { REPO } from '../helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'ehr-check-ssl-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function load(vendor: unknown) {
  const doc = parse(readFileSync(join(REPO, 'examples', 'plan.yaml'), 'utf8'));
  doc.connections[0].vendor = vendor;
  // Only the plan is written here: the files beside the example plan are not part of this question.
  delete doc.vendor.manifest;
  delete doc.certifications;
  const file = join(dir, 'plan.yaml');
  writeFileSync(file, stringify(doc));
  return { file, loading: loadPlan(file) };
}

const MANIFEST = 'http://127.0.0.1:9/$bulk-publish';

describe('a plan with a scheduling-links vendor', () => {
  it('loads with its manifest, schedule and poll interval', async () => {
    const { loading } = await load({ kind: 'scheduling-links', manifestUrl: MANIFEST, schedule: 'Schedule/10', minPollSeconds: 5 });
    expect((await loading).plan.connections[0]!.vendor).toEqual({ kind: 'scheduling-links', manifestUrl: MANIFEST, schedule: 'Schedule/10', minPollSeconds: 5 });
  });

  it.each([
    ['polls more often than once a second', { kind: 'scheduling-links', manifestUrl: MANIFEST, minPollSeconds: 0 }, '/connections/0/vendor/minPollSeconds', 'expected a number 1..3600, got 0'],
    ['has a manifest that is no http(s) URL', { kind: 'scheduling-links', manifestUrl: 'ftp://127.0.0.1/feed' }, '/connections/0/vendor/manifestUrl', 'an http or https URL'],
    ['has no manifest', { kind: 'scheduling-links' }, '/connections/0/vendor', 'scheduling-links vendor needs manifestUrl'],
    ['has a key the kind does not know', { kind: 'scheduling-links', manifestUrl: MANIFEST, baseUrl: MANIFEST }, '/connections/0/vendor', 'baseUrl'],
  ])('is refused when it %s', async (_what, vendor, field, message) => {
    const { file, loading } = await load(vendor);
    const error = await loading.then(
      () => undefined,
      (e: unknown) => e as { exitCode?: number; problems?: Array<{ file: string; field: string; message: string }> },
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error?.exitCode).toBe(2);
    expect(error?.problems).toEqual(expect.arrayContaining([expect.objectContaining({ file, field: expect.stringContaining(field), message: expect.stringContaining(message) })]));
  });
});
