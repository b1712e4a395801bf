// `ehr-check run --plan FILE`: evaluate one vendor as the plan says.
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Io } from '../cli/io.js';
import { wantsColor } from '../cli/io.js';
import { createProgress } from '../cli/progress.js';
import { CannotEvaluateError, EXIT, InputError, InterruptedError, ReportNotWrittenError, UsageError } from '../errors.js';
import { CHECK_IDS, type CheckId, type Report } from '../model/report.js';

export interface RunCommandOptions {
  plan: string;
  check?: string[];
  json?: string;
  html?: string;
  junit?: string;
  markdown?: string;
  failUnder?: number;
  require?: string[];
  trials?: number;
  allowWrites?: boolean;
  operatorScript?: string;
  quiet?: boolean;
  color?: boolean;
}

export function checkIds(values: string[] | undefined, flag: string): CheckId[] | undefined {
  if (!values?.length) return undefined;
  for (const v of values) {
    if (!CHECK_IDS.includes(v as CheckId)) throw new UsageError(`${flag} ${v}: unknown check; use one of ${CHECK_IDS.join(', ')}`);
  }
  return values as CheckId[];
}

export function validateNumbers(opts: { failUnder?: number; trials?: number }): void {
  if (opts.failUnder !== undefined && (opts.failUnder < 0 || opts.failUnder > 100)) throw new UsageError('--fail-under takes a score from 0 to 100');
  if (opts.trials !== undefined && (!Number.isInteger(opts.trials) || opts.trials < 1 || opts.trials > 100)) throw new UsageError('--trials takes a whole number from 1 to 100');
}

export function toolVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** Prints the terminal view (unless JSON went to stdout) and maps the outcome to an exit code. */
export async function finish(report: Report, opts: RunCommandOptions, io: Io, interrupted: boolean): Promise<number> {
  const { writeOutputs, failedOutputLines } = await import('../report/write.js');
  const { jsonOnStdout, written, failed } = await writeOutputs(report, opts, io);
  if (!jsonOnStdout) {
    const { formatTerminal } = await import('../report/terminal.js');
    io.out(formatTerminal(report, { color: wantsColor(io, opts.color), quiet: opts.quiet }));
  }
  if (written.length > 0 && !opts.quiet) io.err(`Report written: ${written.map((w) => w.file).join(', ')}\n`);
  const notWritten = failedOutputLines(failed);
  if (interrupted) throw new InterruptedError(['interrupted: cleanup ran and the partial report was written', ...notWritten].join('\n'));
  const unreachable = report.connections.length > 0 && report.connections.every((c) => !c.live);
  if (notWritten.length > 0) {
    const also = unreachable ? ['also, no connection was reachable (see connection-live)'] : [];
    throw new ReportNotWrittenError([...notWritten, ...also].join('\n'));
  }
  if (unreachable) throw new CannotEvaluateError('the evaluation could not be carried out: no connection was reachable (see connection-live)');
  return report.gate.passed ? EXIT.ok : EXIT.gateFailed;
}

/** Every file the run was asked to write, checked before the plan is even read: exit 2, nothing sent. */
async function checkOutputs(opts: RunCommandOptions, io: Io): Promise<void> {
  const { checkOutputPaths, requestedOutputs } = await import('../report/output-paths.js');
  await checkOutputPaths(requestedOutputs(opts), io.cwd, opts);
}

export default async function runCommand(opts: RunCommandOptions, io: Io): Promise<number> {
  const checks = checkIds(opts.check, '--check');
  const require = checkIds(opts.require, '--require');
  validateNumbers(opts);
  await checkOutputs(opts, io);
  const { loadPlan } = await import('../contracts/load.js');
  const loaded = await loadPlan(opts.plan, { cwd: io.cwd });
  const { evaluate, wantedChecks } = await import('../run/runner.js');
  // An opt-in check asked for but not listed in the plan is bad input: said before a ledger is opened.
  wantedChecks(loaded, checks, io.cwd);
  const { checkLocalFiles } = await import('../run/preflight.js');
  await checkLocalFiles(loaded, io.cwd);
  const progress = createProgress(io, { quiet: opts.quiet });
  const { chooseOperator } = await import('../operator/choose.js');
  const operator = await chooseOperator({ script: opts.operatorScript, io, ehrBaseUrls: loaded.plan.connections.map((c) => c.ehr.fhirBaseUrl), progress });
  const { FileLedger, ledgerDirFor } = await import('../safety/ledger.js');
  const { newRunId } = await import('../run/run-id.js');
  const { watchInterrupts } = await import('../run/interrupt.js');

  const runId = newRunId();
  const ledgerDir = ledgerDirFor(dirname(loaded.file));
  const ledger = await FileLedger.create(ledgerDir, runId).catch((error: unknown) => {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new InputError([{
      file: ledgerDir,
      field: '',
      message: `cannot create the run ledger here (${reason}); it is kept beside the plan so that cleanup can undo the run: make that folder writable, or copy the plan into a writable folder`,
    }]);
  });
  const watch = watchInterrupts(() => progress('interrupted: stopping probes and cleaning up…'));
  let report: Report;
  try {
    progress(`run ${runId}: ${loaded.plan.connections.length} connection(s)`);
    report = await evaluate({
      loaded,
      runId,
      ledger,
      checks,
      trials: opts.trials,
      allowWrites: Boolean(opts.allowWrites),
      gate: { failUnder: opts.failUnder, require },
      env: io.env,
      signal: watch.signal,
      progress,
      // A person answering prompts on this terminal must not have the line redrawn under them every second.
      expectDuration: (ms) => progress.countDownTo(ms, { redraw: operator.kind !== 'tty' }),
      toolVersion: toolVersion(),
      operator,
    });
  } finally {
    progress.done();
    watch.dispose();
    await ledger.close();
  }
  if (report.cleanup.leftover.length === 0) {
    const { markCleaned } = await import('../safety/ledger.js');
    // The reports matter more than the ledger's name: a ledger left open only means `cleanup` looks at it again.
    await markCleaned(dirname(ledger.file), runId).catch((error: unknown) =>
      io.err(`warning: could not mark the ledger ${ledger.file} as cleaned (${(error as NodeJS.ErrnoException).code ?? String(error)}); \`ehr-check cleanup\` will find nothing left to undo\n`),
    );
  }
  return finish(report, opts, io, watch.interrupted);
}
