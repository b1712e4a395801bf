// `ehr-check assert --report FILE`: re-applies a gate to a saved report, so CI can gate on a report made
// elsewhere (or earlier) with its own threshold. --fail-under replaces the saved minimum; --require adds to the
// saved required checks (a pipeline tightens the gate it was handed, it does not quietly drop a requirement).
import { Chalk } from 'chalk';
import type { Io } from '../cli/io.js';
import { wantsColor } from '../cli/io.js';
import { loadReport } from '../contracts/load.js';
import { EXIT, UsageError } from '../errors.js';
import { CHECK_IDS, type CheckId } from '../model/report.js';
import { evaluateGate, formatScore, resolveGateSpec } from '../scoring.js';

export interface AssertOptions {
  report: string;
  failUnder?: number;
  require?: string[];
}

export default async function assertCommand(opts: AssertOptions, io: Io): Promise<number> {
  const flags = checkFlags(opts);
  const report = await loadReport(opts.report, { cwd: io.cwd });
  const saved = { minScore: report.gate.minScore ?? null, require: report.gate.require ?? [] };
  const require = [...new Set([...saved.require, ...(flags.require ?? [])])];
  const spec = resolveGateSpec(saved, { failUnder: flags.failUnder, require });
  const gate = evaluateGate(report, spec);

  const paint = new Chalk({ level: wantsColor(io, undefined) ? 1 : 0 });
  const verdict = gate.passed ? paint.green.bold('PASS') : paint.red.bold('FAIL');
  const score = report.score === null ? 'no score (not evaluated)' : `score ${formatScore(report.score)}/100 (${report.grade})`;
  io.out(`${verdict}  gate ${gate.passed ? 'passed' : 'failed'}: ${report.vendor.name}, ${score}\n`);
  io.out(`  gate: ${describeGate(saved, flags)}\n`);
  for (const reason of gate.reasons) io.out(`  - ${reason}\n`);
  if (report.partial) io.out('  note: this report is partial (the run was interrupted)\n');
  return gate.passed ? EXIT.ok : EXIT.gateFailed;
}

function checkFlags(opts: AssertOptions): { failUnder?: number; require?: CheckId[] } {
  if (opts.failUnder !== undefined && (opts.failUnder < 0 || opts.failUnder > 100)) {
    throw new UsageError(`--fail-under takes a score 0..100, got ${opts.failUnder}`);
  }
  const unknown = (opts.require ?? []).filter((id) => !(CHECK_IDS as readonly string[]).includes(id));
  if (unknown.length > 0) {
    throw new UsageError(`--require takes a check id (${CHECK_IDS.join(', ')}), got ${unknown.map((id) => `"${id}"`).join(', ')}`);
  }
  return { failUnder: opts.failUnder, require: opts.require as CheckId[] | undefined };
}

/** Which gate was applied and where each part came from: "minScore 70 (saved), require bidirectional (saved) + coverage (--require)". */
export function describeGate(saved: { minScore: number | null; require: readonly CheckId[] }, flags: { failUnder?: number; require?: readonly CheckId[] }): string {
  let minimum: string;
  if (flags.failUnder !== undefined) {
    const replaced = saved.minScore === null ? '' : `, instead of the saved ${formatScore(saved.minScore)}`;
    minimum = `minScore ${formatScore(flags.failUnder)} (--fail-under${replaced})`;
  } else {
    minimum = saved.minScore === null ? 'no minScore' : `minScore ${formatScore(saved.minScore)} (saved)`;
  }
  const added = [...new Set(flags.require ?? [])].filter((id) => !saved.require.includes(id));
  const parts = [
    ...(saved.require.length > 0 ? [`${saved.require.join(', ')} (saved)`] : []),
    ...(added.length > 0 ? [`${added.join(', ')} (--require)`] : []),
  ];
  return `${minimum}, ${parts.length > 0 ? `require ${parts.join(' + ')}` : 'no check required'}`;
}
