// The shape every check shares: a declarative object that judges evidence. Checks import no HTTP and no probe
// (only their types): everything about a check that the rest of ehr-check needs is read from its definition.
import type { Finding, FindingId, Status } from '../src/model/report.js';
import type { ProbeEvidence, RunEvidence } from './evidence.js';

/** One finding a check can produce. */
export interface FindingDefinition {
  readonly id: string;
  readonly title: string;
  /** `connection`: judged on each connection; `run`: once for the whole run. */
  readonly scope: 'connection' | 'run';
  /** The run reads or changes the EHR for it: how (api, operator, impossible) is planned from the EHR's capability and kept in its evidence. */
  readonly probesEhr?: true;
  /** Judged from these rather than from the EHR (the method planner and `inspect` say so). */
  readonly judgedFrom?: string;
}

/** A JSON Schema fragment (kept as plain data here: checks load nothing from src/contracts). */
export type SettingSchema = Readonly<Record<string, unknown>>;

/** The plan settings a check takes beyond its weight: their defaults and the JSON Schema of each. */
export interface CheckSettingsDefinition<Settings> {
  readonly defaults: Settings;
  readonly schema: { readonly [K in keyof Settings]: SettingSchema };
}

export interface CheckDefinition<Input, Settings extends object = object> {
  readonly id: string;
  readonly title: string;
  /** What the check verifies, in the buyer's words (the HTML report shows it above the check's findings). */
  readonly description: string;
  /** Its weight in the overall score when the plan gives none. */
  readonly defaultWeight: number;
  /** The findings this check can produce, in report order. */
  readonly findings: readonly FindingDefinition[];
  /** Plan settings under `checks.<id>` beyond `weight`; none when absent. */
  readonly settings?: CheckSettingsDefinition<Settings>;
  /** The evidence its judgement rests on: per-connection probes (by name) the runner must gather, and CHPL. */
  readonly needs: readonly EvidenceNeed[];
  /** Checks whose findings its input reads (they are judged first). */
  readonly uses?: readonly string[];
  /** Pure: the check's own input, picked from everything the run gathered (and the findings of `uses`). */
  input(run: RunEvidence, judged: ReadonlyMap<string, readonly Finding[]>): Input;
  /** Pure: evidence in, findings out (each finding carries the evidence that decided it). */
  judge(input: Input, settings?: Settings): Finding[];
}

/** A per-connection probe's evidence (a key of `ProbeEvidence`), or the run's CHPL lookup. */
export type EvidenceNeed = keyof ProbeEvidence | 'ehrCertification';

/** The titles of a check's findings by id, for its judge functions. */
export function titlesOf<const F extends readonly FindingDefinition[]>(findings: F): { readonly [K in F[number]['id']]: string } {
  return Object.fromEntries(findings.map((f) => [f.id, f.title])) as { [K in F[number]['id']]: string };
}

/** Builds a finding; keeps call sites short and the field order of the report stable. */
export function finding(
  id: FindingId,
  connection: string | undefined,
  status: Status,
  title: string,
  message: string,
  evidence: Record<string, unknown> = {},
): Finding {
  return connection === undefined ? { id, status, title, message, evidence } : { id, connection, status, title, message, evidence };
}
