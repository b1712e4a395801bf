// Cleaning up after a run, connection by connection: first what only the person at the EHR can undo
// (person-cleanup.ts), then the ledger-driven API cleanup of src/safety/cleanup.ts, merged into one summary.
import type { ConnectionContext } from '../context.js';
import type { CleanupSummary, WriteRecord } from '../model/report.js';
import { cleanupConnection, mergeCleanups, type CleanupResult } from '../safety/cleanup.js';
import type { Ledger } from '../safety/types.js';
import { operatorCleanup } from './person-cleanup.js';

export async function cleanupAll(contexts: ConnectionContext[], ledger: Ledger): Promise<CleanupResult> {
  const entries = ledger.entries();
  const parts = await Promise.all(
    contexts.map(async (ctx) => {
      const mine = entries.filter((e) => e.connection === ctx.key);
      if (mine.length === 0) return emptyCleanup();
      // What the EHR's API cannot undo, the person at the EHR is asked to, first.
      const byPerson = await operatorCleanup(ctx, mine);
      const done = await cleanupConnection(ctx.ehr, ledger.runId, byPerson.entries, ctx.vendor);
      const otherLeftover = Number(done.summary.otherLeftover ?? 0) + byPerson.leftover.length;
      return { ...done, summary: { ...done.summary, leftover: [...byPerson.leftover, ...done.summary.leftover], otherLeftover } };
    }),
  );
  return mergeCleanups(parts);
}

function emptyCleanup(): CleanupResult {
  const summary: CleanupSummary = { created: 0, removed: 0, leftover: [] };
  const writes: WriteRecord[] = [];
  return { summary, writes };
}
