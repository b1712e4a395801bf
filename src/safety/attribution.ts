// Which record in the EHR each of the run's writes made. Pure: the ledger and what the EHR searches found in,
// one line per record out, so the report can say "created N, removed N" and mean the same N records.
//
// A write to the EHR names its record in the ledger (the id the EHR gave it). A write through the vendor does not:
// its record is found by the run identifier it carried, and the records carrying one identifier go to the writes
// that carried it, in the order they were sent (a replay of the same key that was matched makes none). Records
// beyond one per write (a vendor that wrote twice) and records carrying only the run tag are the run's too, and
// are counted under their own names.
import type { WriteRecord } from '../model/report.js';
import { answeredQueued, makesRecord, type LedgerEntry, type WriteTarget } from './types.js';

export interface FoundRecord {
  resourceType: string;
  id: string;
}

export interface AttributionInput {
  /** One connection's ledger entries. */
  entries: readonly LedgerEntry[];
  /** What the EHR holds now for each run identifier; an identifier whose search failed is absent. */
  byIdentifier: ReadonlyMap<string, readonly FoundRecord[]>;
  /** What the EHR holds now with the run tag. */
  byTag: readonly FoundRecord[];
  /** Identifiers whose booking still waits in the vendor's queue (HTTP 202), to reach the EHR later. */
  stillQueued: ReadonlySet<string>;
}

/** One record of the run, before cleanup acts on it. */
export interface RecordLine extends Omit<WriteRecord, 'removed'> {
  /** The probe that made it already deleted it: nothing left for cleanup to do. */
  removedByProbe: boolean;
  /** Still only in the vendor's queue: not in the EHR yet. */
  queued?: boolean;
  /** Ledger order of the write that made it, for a report that reads in the order things happened. */
  seq: number;
}

export interface Attribution {
  lines: RecordLine[];
  /** Writes that made no record: refused, matched an existing record, or a replay the vendor recognised. */
  writesWithoutRecord: number;
}

const DELETED = (status: number | null | undefined) => status !== null && status !== undefined && (status < 300 || status === 404 || status === 410);
const keyOf = (r: FoundRecord) => `${r.resourceType}/${r.id}`;

export function attributeRecords(input: AttributionInput): Attribution {
  const { entries } = input;
  const connection = entries[0]?.connection ?? '';
  const present = new Set([...[...input.byIdentifier.values()].flat(), ...input.byTag].map(keyOf));
  // Records a probe deleted during the run, with the identifier they carried when it said so.
  const deletedByProbe = new Map<string, string | undefined>();
  for (const e of entries) {
    if (e.action === 'remove' && e.id && DELETED(e.result?.status)) deletedByProbe.set(`${e.resourceType}/${e.id}`, e.forIdentifier);
  }
  const lines: RecordLine[] = [];
  const owned = new Set<string>();
  const claim = (r: FoundRecord, target: WriteTarget, action: string, seq: number) => {
    const key = keyOf(r);
    owned.add(key);
    lines.push({ connection, target, action, resourceType: r.resourceType, id: r.id, removedByProbe: deletedByProbe.has(key) && !present.has(key), seq });
  };

  const writes = entries.filter(makesRecord);
  // 1. The run's own writes to the EHR name their record.
  const open: LedgerEntry[] = [];
  for (const w of writes) {
    if (w.target === 'ehr' && w.result?.id) claim({ resourceType: w.resourceType, id: w.result.id }, w.target, w.action, w.seq);
    else open.push(w);
  }
  // 2. The others are found by the identifier they carried: in the EHR now, or deleted by a probe.
  let writesWithoutRecord = 0;
  const groups = new Map<string, LedgerEntry[]>();
  for (const w of open) {
    if (!w.identifier) writesWithoutRecord += 1;
    else groups.set(w.identifier, [...(groups.get(w.identifier) ?? []), w]);
  }
  for (const [identifier, group] of groups) {
    const type = group[0]!.resourceType;
    const gone = [...deletedByProbe].filter(([key, of]) => of === identifier && key.startsWith(`${type}/`)).map(([key]) => ({ resourceType: type, id: key.slice(type.length + 1) }));
    const candidates = [...(input.byIdentifier.get(identifier) ?? []), ...gone].filter((r, i, all) => !owned.has(keyOf(r)) && all.findIndex((o) => keyOf(o) === keyOf(r)) === i);
    let queuedLeft = input.stillQueued.has(identifier) ? 1 : 0;
    for (const w of group) {
      const record = candidates.shift();
      if (record) claim(record, w.target, w.action, w.seq);
      else if (queuedLeft > 0 && answeredQueued(w)) {
        queuedLeft -= 1;
        lines.push({ connection, target: w.target, action: w.action, resourceType: w.resourceType, removedByProbe: false, queued: true, seq: w.seq });
      } else writesWithoutRecord += 1;
    }
    for (const extra of candidates) claim(extra, 'vendor', 'found-by-identifier', Number.MAX_SAFE_INTEGER);
  }
  // 3. Anything else with the run tag: a vendor may copy the tag onto records the ledger never saw.
  for (const r of input.byTag) if (!owned.has(keyOf(r))) claim(r, 'vendor', 'found-by-tag', Number.MAX_SAFE_INTEGER);
  lines.sort((a, b) => a.seq - b.seq);
  return { lines, writesWithoutRecord };
}
