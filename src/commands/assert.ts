// `ehr-check assert --report FILE`: re-applies a gate to a saved report, so CI can gate on a report made
// elsewhere (or earlier) with its own threshold. Flags override the report's own gate, each for its own part.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Chalk } from 'chalk';
import type { Io } from '../cli/io.js';
import { wantsColor } from '../cli/io.js';
import { EXIT, InputError, UsageError } from '../errors.js';
import { CHECK_IDS, type CheckId, type Report, type Status } from '../model/report.js';
import { evaluateGate, formatScore, resolveGateSpec } from '../scoring.js';

export interface AssertOptions {
  report: string;
  failUnder?: number;
  require?: string[];
}

export default async function assertCommand(opts: AssertOptions, io: Io): Promise<number> {
  const flags = checkFlags(opts);
  const file = resolve(io.cwd, opts.report);
  const report = await loadSavedReport(file);
  const spec = resolveGateSpec({ minScore: report.gate.minScore, require: report.gate.require }, flags);
  const gate = evaluateGate(report, spec);

  const paint = new Chalk({ level: wantsColor(io, undefined) ? 1 : 0 });
  const verdict = gate.passed ? paint.green.bold('PASS') : paint.red.bold('FAIL');
  const score = report.score === null ? 'no score' : `score ${formatScore(report.score)}/100 (${report.grade})`;
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

// Until src/contracts/load.ts lands: read the JSON and check the shape the gate depends on.
const STATUSES: readonly Status[] = ['pass', 'warn', 'fail', 'error', 'skip'];

async function loadSavedReport(file: string): Promise<Report> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError([{ file, field: '', message: code === 'ENOENT' ? 'file not found' : `cannot read it (${code})` }]);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new InputError([{ file, field: '', message: `not valid JSON: ${(error as Error).message}` }]);
  }
  const problems = reportShapeProblems(doc);
  if (problems.length > 0) throw new InputError(problems.map(([field, message]) => ({ file, field, message })));
  return doc as Report;
}

function reportShapeProblems(doc: unknown): Array<[string, string]> {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(doc) || typeof doc.schemaVersion !== 'string' || !Array.isArray(doc.checks)) {
    return [['', 'not an ehr-check report (expected an object with schemaVersion and checks)']];
  }
  const problems: Array<[string, string]> = [];
  if (!/^1\./.test(doc.schemaVersion)) problems.push(['/schemaVersion', `expected a 1.x report, got "${doc.schemaVersion}"`]);
  if (doc.score !== null && (typeof doc.score !== 'number' || doc.score < 0 || doc.score > 100)) {
    problems.push(['/score', 'expected a number 0..100 or null']);
  }
  if (!isObject(doc.vendor) || typeof doc.vendor.name !== 'string') problems.push(['/vendor/name', 'expected a string']);
  if (!isObject(doc.gate) || !Array.isArray(doc.gate.require)) problems.push(['/gate', 'expected {minScore, require[], passed, reasons[]}']);
  doc.checks.forEach((check: unknown, i) => {
    if (!isObject(check) || !(CHECK_IDS as readonly unknown[]).includes(check.id)) {
      problems.push([`/checks/${i}/id`, `must be one of: ${CHECK_IDS.join(', ')}`]);
    } else if (!(STATUSES as readonly unknown[]).includes(check.status)) {
      problems.push([`/checks/${i}/status`, `must be one of: ${STATUSES.join(', ')}`]);
    } else if (!Array.isArray(check.findings)) {
      problems.push([`/checks/${i}/findings`, 'expected an array']);
    }
  });
  return problems;
}
