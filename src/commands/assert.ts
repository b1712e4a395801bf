// `ehr-check assert --report FILE`: re-applies a gate to a saved report, so CI can gate on a report made
// elsewhere (or earlier) with its own threshold. Flags override the report's own gate, each for its own part.
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
  const spec = resolveGateSpec({ minScore: report.gate.minScore, require: report.gate.require }, flags);
  const gate = evaluateGate(report, spec);

  const paint = new Chalk({ level: wantsColor(io, undefined) ? 1 : 0 });
  const verdict = gate.passed ? paint.green.bold('PASS') : paint.red.bold('FAIL');
  const score = report.score === null ? 'no score (not evaluated)' : `score ${formatScore(report.score)}/100 (${report.grade})`;
  io.out(`${verdict}  gate ${gate.passed ? 'passed' : 'failed'}: ${report.vendor.name}, ${score}\n`);
  const minimum = gate.minScore === null ? 'no minimum score' : `minimum ${formatScore(gate.minScore)}`;
  const required = gate.require.length > 0 ? `required: ${gate.require.join(', ')}` : 'no check required';
  io.out(`  gate: ${minimum}; ${required}\n`);
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
