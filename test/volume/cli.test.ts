// `ehr-check run` with the volume check, through the built CLI: listed in the plan it runs and its table is
// printed; asked for with --check on a plan that does not list it, exit 2 naming the field and the fix.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { Report } from '../../src/model/report.js';
import { runCli } from '../helpers/cli.js';
import type { World } from '../helpers/world.js';
import { ledgers, readJson, tempDir, writePlanFile } from '../run/plan-file.js';
import { startVolumeWorld } from './world.js';

let world: World;
beforeAll(async () => {
  world = await startVolumeWorld({ behavior: 'deep', faults: ['drop-when-busy'], busyLimit: 2 });
});
afterAll(() => world?.close());

async function plan(volume?: Record<string, number>): Promise<{ dir: string; file: string }> {
  const dir = await tempDir('volume-cli');
  const file = await writePlanFile(dir, { ehrBaseUrl: world.sandbox.fhirBaseUrl, vendorBaseUrl: world.vendor.baseUrl, freshness: { trials: 1, timeoutSeconds: 2, realTimeSeconds: 1, nearRealTimeSeconds: 2 } });
  const doc = parse(await readFile(file, 'utf8')) as { checks: Record<string, unknown>; gate: unknown };
  if (volume) doc.checks.volume = volume;
  doc.gate = { minScore: 0 };
  await writeFile(file, stringify(doc));
  return { dir, file };
}

describe('ehr-check run with the volume check', () => {
  it('runs it when the plan lists it: the table, the lost keys and the exit code of the gate', async () => {
    const { dir, file } = await plan({ bookings: 8, concurrency: 4, retryShare: 0 });
    const out = join(dir, 'report.json');
    const result = await runCli(['run', '--plan', file, '--check', 'volume', '--allow-writes', '--json', out], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const report = await readJson<Report>(out);
    const f = report.checks[0]!.findings[0]!;
    expect(f).toMatchObject({ id: 'writes-at-volume', status: 'fail' });
    expect(result.stdout).toContain('Writes at volume');
    if (process.env.SHOW_VOLUME_OUTPUT) console.log(result.stdout);
    expect(result.stdout).toContain((f.evidence.lostKeys as string[])[0]!.slice(0, 20));
    expect(report.cleanup.leftover).toEqual([]);
  });

  it('exits 2 for --check volume on a plan that does not list it, before anything is written', async () => {
    const { dir, file } = await plan();
    const result = await runCli(['run', '--plan', file, '--check', 'volume', '--allow-writes'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/plan\.yaml: \/checks\/volume: .*add `volume: \{\}` under `checks`/);
    expect(await ledgers(dir)).toEqual({ open: [], cleaned: [] });
  });
});
