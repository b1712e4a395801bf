// The write-ahead run ledger (docs/safety.md): one JSON line per intended write, flushed to disk before the write
// is sent, so `ehr-check cleanup` can undo a run that crashed or was killed mid-way.
import { mkdir, open, readdir, readFile, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Ledger, LedgerEntry, LedgerIntent, WriteResult } from './types.js';

type Line = { kind: 'intent'; entry: LedgerEntry } | { kind: 'done'; seq: number; result: LedgerEntry['result'] };

/** Ledger kept only in memory: for `demo`, whose sandboxes die with the process. */
export class MemoryLedger implements Ledger {
  protected readonly list: LedgerEntry[] = [];
  constructor(readonly runId: string) {}

  async intend(intent: LedgerIntent): Promise<number> {
    const entry: LedgerEntry = { ...intent, seq: this.list.length + 1, at: new Date().toISOString(), runId: this.runId };
    this.list.push(entry);
    await this.persist({ kind: 'intent', entry });
    return entry.seq;
  }

  async done(seq: number, result: WriteResult): Promise<void> {
    const entry = this.list[seq - 1];
    if (entry) entry.result = result;
    await this.persist({ kind: 'done', seq, result });
  }

  entries(): LedgerEntry[] {
    return this.list.map((e) => ({ ...e }));
  }

  protected async persist(_line: Line): Promise<void> {}
}

/** Ledger on disk, `<dir>/<runId>.jsonl`, each line synced before the write it announces is sent. */
export class FileLedger extends MemoryLedger {
  private handle?: FileHandle;
  private chain: Promise<void> = Promise.resolve();

  constructor(runId: string, readonly file: string) {
    super(runId);
  }

  static async create(dir: string, runId: string): Promise<FileLedger> {
    await mkdir(dir, { recursive: true });
    const ledger = new FileLedger(runId, join(dir, `${runId}.jsonl`));
    ledger.handle = await open(ledger.file, 'a', 0o600);
    return ledger;
  }

  protected override persist(line: Line): Promise<void> {
    // Serialise appends: concurrent probes must not interleave half lines.
    this.chain = this.chain.then(async () => {
      if (!this.handle) return;
      await this.handle.appendFile(`${JSON.stringify(line)}\n`);
      await this.handle.sync();
    });
    return this.chain;
  }

  async close(): Promise<void> {
    await this.chain;
    await this.handle?.close();
    this.handle = undefined;
  }
}

/** Reads a ledger file back; a torn last line (crash mid-write) is ignored, not fatal. */
export async function readLedgerFile(file: string): Promise<LedgerEntry[]> {
  const text = await readFile(file, 'utf8');
  const entries = new Map<number, LedgerEntry>();
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    let line: Line;
    try {
      line = JSON.parse(raw) as Line;
    } catch {
      continue;
    }
    if (line.kind === 'intent') entries.set(line.entry.seq, line.entry);
    else if (line.kind === 'done') {
      const entry = entries.get(line.seq);
      if (entry) entry.result = line.result;
    }
  }
  return [...entries.values()];
}

/** Run ids that have a ledger in `dir`, oldest first. */
export async function listLedgers(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir))
      .filter((f) => f.endsWith('.jsonl') && !f.endsWith(CLEANED_SUFFIX))
      .map((f) => f.slice(0, -'.jsonl'.length))
      .sort();
  } catch {
    return [];
  }
}

const CLEANED_SUFFIX = '.cleaned.jsonl';

/** After a complete cleanup the ledger is kept, renamed, as the record of what was written and undone. */
export async function markCleaned(dir: string, runId: string): Promise<void> {
  await rename(join(dir, `${runId}.jsonl`), join(dir, `${runId}${CLEANED_SUFFIX}`));
}

export function ledgerDirFor(planDir: string): string {
  return join(planDir, '.ehr-check', 'ledger');
}
