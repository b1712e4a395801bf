// What an EHR's API cannot do is skipped with the reason its CapabilityStatement gives, not failed on a 404.
import { describe, expect, it } from 'vitest';
import { freshness } from '../../checks/freshness.js';
import { gatherFreshness } from '../../src/probes/freshness.js';
import { startFreshnessWorld } from './world.js';

const settings = { trials: 2, timeoutSeconds: 2, realTimeSeconds: 1, nearRealTimeSeconds: 10, raceAttempts: 1 };

describe('EHRs whose scheduling API is read-only or absent', () => {
  it.each(['epic', 'ecw'] as const)('%s: every freshness finding is skipped with a reason, and nothing is written', async (flavor) => {
    const world = await startFreshnessWorld({ behavior: 'deep' }, { flavor });
    try {
      const evidence = await gatherFreshness(world.ctx, settings, world.capability);
      const findings = freshness.judge({ connections: [{ key: flavor, system: flavor, probes: evidence }] }, settings);
      expect(findings.map((f) => f.status)).toEqual(['skip', 'skip', 'skip']);
      for (const f of findings) expect(f.message).toMatch(/cannot be measured on this EHR|needs a person at the EHR|the EHR offers no Slot search/);
      expect(world.ledger.entries()).toHaveLength(0);
    } finally {
      await world.close();
    }
  }, 30_000);

  it('the impossible reason wins over "writes are off": allowing writes would not help', async () => {
    const world = await startFreshnessWorld({ behavior: 'deep' }, { flavor: 'ecw' });
    try {
      world.ctx.writesAllowed = false;
      world.ctx.writesBlockedReason = 'writes are off';
      const evidence = await gatherFreshness(world.ctx, settings, world.capability);
      expect(evidence.vendorToEhr).toMatchObject({ kind: 'skipped', reason: expect.stringMatching(/^cannot be measured on this EHR/) });
    } finally {
      await world.close();
    }
  }, 30_000);
});
