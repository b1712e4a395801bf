// The checks, registered once. Everything else about them derives from this list: the runner's wiring, the plan
// schema's `checks.*` settings and enums, default weights, the finding ids and their types, `inspect`'s rows,
// the init wizard's questions and the HTML report's descriptions. A new check is a file here and a line below.
import { bidirectional } from './bidirectional.js';
import { coverage } from './coverage.js';
import { freshness } from './freshness.js';

/** In report order; a check listed in another's `uses` comes before it. */
export const CHECKS = [bidirectional, coverage, freshness] as const;

export type Check = (typeof CHECKS)[number];
export type CheckId = Check['id'];
export type FindingId = Check['findings'][number]['id'];

/** The plan settings of each check under `checks.<id>`: its weight, and what its definition adds. */
export type PlanCheckSettings = {
  [C in Check as C['id']]: { weight: number } & (C extends { settings: { defaults: infer S } } ? S : unknown);
};

export const CHECK_IDS: readonly CheckId[] = CHECKS.map((c) => c.id);

export const FINDINGS_BY_CHECK = Object.fromEntries(CHECKS.map((c) => [c.id, c.findings.map((f) => f.id)])) as unknown as {
  readonly [C in Check as C['id']]: ReadonlyArray<C['findings'][number]['id']>;
};

const ALL_FINDINGS = CHECKS.flatMap((c): ReadonlyArray<Check['findings'][number]> => c.findings);

export const ALL_FINDING_IDS: readonly FindingId[] = ALL_FINDINGS.map((f) => f.id);

/** Findings that are judged once per run rather than per connection. */
export const RUN_LEVEL_FINDINGS: readonly FindingId[] = ALL_FINDINGS.filter((f) => f.scope === 'run').map((f) => f.id);

/** Findings for which the run reads or changes the EHR: their evidence records how (api, operator, impossible). */
export const EHR_PROBED_FINDINGS: ReadonlySet<string> = new Set(ALL_FINDINGS.filter((f) => 'probesEhr' in f && f.probesEhr).map((f) => f.id));

/** Findings judged without the EHR, and what they are judged from instead. */
export const JUDGED_WITHOUT_EHR: ReadonlyArray<{ id: FindingId; judgedFrom: string }> = ALL_FINDINGS.flatMap((f) =>
  'judgedFrom' in f && f.judgedFrom ? [{ id: f.id, judgedFrom: f.judgedFrom }] : [],
);

/** What a plan gets for a check it leaves out: the default weight, then the defaults of its settings. */
export const CHECK_DEFAULTS = Object.fromEntries(
  CHECKS.map((c) => [c.id, { weight: c.defaultWeight, ...('settings' in c ? c.settings.defaults : {}) }]),
) as { readonly [K in CheckId]: Readonly<PlanCheckSettings[K]> };

export function checkById(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id);
}
