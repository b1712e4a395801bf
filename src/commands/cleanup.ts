// `ehr-check cleanup --plan FILE [--run-id ID]`: undo earlier runs from their ledgers and the run tag.
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import type { Io } from '../cli/io.js';
import { CannotEvaluateError, UsageError } from '../errors.js';

export default async function cleanupCommand(opts: { plan: string; runId?: string }, io: Io): Promise<number> {
  const { loadPlan } = await import('../contracts/load.js');
  const loaded = await loadPlan(opts.plan, { cwd: io.cwd });
  const { listLedgers, readLedgerFile, ledgerDirFor, markCleaned } = await import('../safety/ledger.js');
  const { cleanupConnection } = await import('../safety/cleanup.js');
  const { buildContexts } = await import('../run/connections.js');
  const { MemoryLedger } = await import('../safety/ledger.js');

  const dir = ledgerDirFor(dirname(loaded.file));
  if (opts.runId && !/^[A-Za-z0-9._-]+$/.test(opts.runId)) throw new UsageError('--run-id: a run id has only letters, digits, dot, dash and underscore');
  const runIds = opts.runId ? [opts.runId] : await listLedgers(dir);
  if (runIds.length === 0) {
    io.out(`nothing to clean up: no run ledger in ${dir}\n`);
    return 0;
  }
  let leftovers = 0;
  for (const runId of runIds) {
    const file = join(dir, `${runId}.jsonl`);
    const entries = existsSync(file) ? await readLedgerFile(file) : [];
    const contexts = buildContexts({ loaded, runId, ledger: new MemoryLedger(runId), allowWrites: true, env: io.env, signal: new AbortController().signal, progress: () => {} });
    let removed = 0;
    const left: string[] = [];
    for (const ctx of contexts) {
      // Only sandboxes were ever written to; a production EHR is never touched, even by cleanup.
      if (!ctx.connection.ehr.sandbox) continue;
      const mine = entries.filter((e) => e.connection === ctx.key);
      const result = await cleanupConnection(ctx.ehr, runId, mine, ctx.vendor);
      // What this cleanup removed: a probe of the run may already have removed some of the run's records.
      removed += result.writes.filter((w) => w.removedBy !== 'probe' && w.removed).length;
      left.push(...result.summary.leftover.map((l) => `${ctx.key}: ${l}`));
      await Promise.all([ctx.ehr.close(), ctx.vendor.close()]);
    }
    io.out(`${runId}: ${entries.length} ledger entr${entries.length === 1 ? 'y' : 'ies'}, ${removed} resource(s) removed${left.length ? `, ${left.length} left over` : ''}\n`);
    for (const l of left) io.out(`  leftover: ${l}\n`);
    if (left.length === 0 && existsSync(file)) await markCleaned(dir, runId);
    leftovers += left.length;
  }
  if (leftovers > 0) throw new CannotEvaluateError(`${leftovers} item(s) could not be cleaned up; run cleanup again when the EHR answers`);
  return 0;
}
