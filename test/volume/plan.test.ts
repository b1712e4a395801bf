// The plan's side of the volume check: listed or not, its defaults, and its settings validated like any other.
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadPlan } from '../../src/contracts/load.js';
import { InputError } from '../../src/errors.js';
import { HostLimiter } from '../../src/http/host-limit.js';
import { tempDir, writePlanFile } from '../run/plan-file.js';

async function planWith(checks: Record<string, unknown> | undefined): Promise<string> {
  const dir = await tempDir('volume-plan');
  const file = await writePlanFile(dir, { ehrBaseUrl: 'http://127.0.0.1:9/fhir', vendorBaseUrl: 'http://127.0.0.1:9/vendor', claims: false });
  const plan = parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  if (checks === undefined) delete plan.checks;
  else plan.checks = checks;
  await writeFile(file, stringify(plan));
  return file;
}

describe('checks.volume in the plan', () => {
  it('is absent unless listed, and takes its defaults when listed empty', async () => {
    expect((await loadPlan(await planWith(undefined))).plan.checks.volume).toBeUndefined();
    expect((await loadPlan(await planWith({ freshness: { trials: 2 } }))).plan.checks.volume).toBeUndefined();
    expect((await loadPlan(await planWith({ volume: {} }))).plan.checks.volume).toEqual({ weight: 20, bookings: 30, concurrency: 10, retryShare: 0.3 });
    const loaded = await loadPlan(await planWith({ volume: { bookings: 100, concurrency: 20 } }));
    expect(loaded.plan.checks.volume).toEqual({ weight: 20, bookings: 100, concurrency: 20, retryShare: 0.3 });
    // The others are filled in as always.
    expect(loaded.plan.checks.freshness.trials).toBe(5);
  });

  it('refuses settings out of range, naming the field', async () => {
    for (const [volume, field] of [
      [{ retryShare: 1.5 }, '/checks/volume/retryShare'],
      [{ concurrency: 0 }, '/checks/volume/concurrency'],
      [{ bookings: 2.5 }, '/checks/volume/bookings'],
      [{ burst: 3 }, '/checks/volume/burst'],
    ] as const) {
      const error = await loadPlan(await planWith({ volume })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).problems.map((p) => p.field)).toContain(field);
    }
  });
});

describe('the run bound per host', () => {
  it('lets a host the plan names take more at once, and only that host', async () => {
    const limiter = new HostLimiter(2);
    limiter.allow('vendor:1', 6);
    limiter.allow('vendor:1', 4); // never lowered
    const held = await Promise.all(Array.from({ length: 6 }, () => limiter.acquire('vendor:1')));
    expect(limiter.inFlight('vendor:1')).toBe(6);
    let seventh = false;
    void limiter.acquire('vendor:1').then(() => (seventh = true));
    await Promise.all([limiter.acquire('ehr:1'), limiter.acquire('ehr:1')]);
    let third = false;
    void limiter.acquire('ehr:1').then(() => (third = true));
    await new Promise((r) => setTimeout(r, 20));
    expect([seventh, third]).toEqual([false, false]);
    held[0]!();
    await new Promise((r) => setTimeout(r, 0));
    expect(seventh).toBe(true);
  });
});
