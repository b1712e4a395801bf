// One evaluation of one vendor in three steps: gather (probes, the only I/O besides cleanup), judge (pure, through
// the check registry), assemble (score, gate, report). Nothing here decides a verdict itself.
import type { RunEvidence } from '../../checks/evidence.js';
import { CHECK_IDS, CHECK_SETTINGS_DEFAULTS, OPT_IN_CHECKS, type CheckId } from '../../checks/index.js';
import { InputError } from '../errors.js';
import { displayPath } from '../contracts/read.js';
import type { LoadedPlan } from '../model/plan.js';
import type { Report } from '../model/report.js';
import type { ConnectionContext } from '../context.js';
import { cleanupAll } from '../ehr/cleanup.js';
import type { Operator } from '../operator/types.js';
import type { Ledger } from '../safety/types.js';
import { assembleReport } from './assemble.js';
import { buildContexts } from './connections.js';
import { gatherRun } from './gather.js';
import { judgeRun } from './judge.js';
import { systemCatalog } from './systems.js';

export interface RunOptions {
  loaded: LoadedPlan;
  runId: string;
  ledger: Ledger;
  /** Only these checks (`--check`); every check when absent. */
  checks?: CheckId[];
  trials?: number;
  allowWrites: boolean;
  gate: { failUnder?: number; require?: CheckId[] };
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  progress(message: string): void;
  /** Told once, before any probe, how long the run may take at worst (ms), so progress can count down to it. */
  expectDuration?(worstCaseMs: number): void;
  toolVersion: string;
  /** Overrides for the clients (timeouts in tests). */
  client?: Parameters<typeof buildContexts>[0]['client'];
  /** Who makes the EHR-side changes an EHR's API cannot (a terminal, a script); nobody when absent. */
  operator?: Operator;
  /** Told what the gather step gathered, before it is judged (tests record it to replay the judge step). */
  onGathered?(evidence: RunEvidence): void;
}

export async function evaluate(options: RunOptions): Promise<Report> {
  const startedAt = new Date().toISOString();
  const { loaded } = options;
  const wanted = wantedChecks(loaded, options.checks);
  const contexts = buildContexts({ ...options });
  const freshness = { ...loaded.plan.checks.freshness, trials: options.trials ?? loaded.plan.checks.freshness.trials };
  const volume = loaded.plan.checks.volume ?? CHECK_SETTINGS_DEFAULTS.volume;
  const settings = { freshness, queueWaitMs: Math.min(freshness.timeoutSeconds, 60) * 1000, volume };

  const { evidence } = await gatherRun(options, contexts, await systemCatalog(), settings, wanted);
  options.onGathered?.(evidence);
  const judged = judgeRun(evidence, loaded.plan.checks, wanted);

  // Clean up before the report is final, so it can say what was left behind.
  options.progress('cleaning up what the run wrote');
  const cleanup = await cleanupAll(contexts, options.ledger);
  await Promise.all(contexts.flatMap((ctx) => [ctx.ehr.close(), ctx.vendor.close()]));
  return assembleReport({ loaded, options, contexts, evidence, judged, cleanup, startedAt, finishedAt: new Date().toISOString(), interrupted: options.signal.aborted });
}


/**
 * The checks to run: those `--check` names, else every check but the opt-in ones the plan does not list. An
 * opt-in check (volume books dozens of slots at once) runs only when the plan lists it, `--check` or not.
 */
export function wantedChecks(loaded: LoadedPlan, asked: readonly CheckId[] | undefined, cwd = process.cwd()): CheckId[] {
  const listed = (id: CheckId) => !OPT_IN_CHECKS.includes(id) || loaded.plan.checks[id] !== undefined;
  const unlisted = (asked ?? []).filter((id) => !listed(id));
  if (unlisted.length > 0) {
    const file = displayPath(loaded.file, cwd);
    throw new InputError(unlisted.map((id) => ({ file, field: `/checks/${id}`, message: `--check ${id} asks for a check that runs only when the plan lists it: add \`${id}: {}\` under \`checks\` (its defaults apply)` })));
  }
  return asked?.length ? CHECK_IDS.filter((id) => asked.includes(id)) : CHECK_IDS.filter(listed);
}
