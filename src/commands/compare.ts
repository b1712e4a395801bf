// `ehr-check compare REPORT... [--html FILE] [--no-color]`: saved reports side by side, best score first.
// Every file is loaded (and validated), and the --html path checked, before anything is printed, so one bad
// file names itself and exits 2.
import { resolve } from 'node:path';
import type { Io } from '../cli/io.js';
import { wantsColor } from '../cli/io.js';
import { loadReport } from '../contracts/load.js';
import { EXIT, ReportNotWrittenError, UsageError } from '../errors.js';
import type { Report } from '../model/report.js';
import { formatCompareHtml, formatCompareTerminal } from '../report/compare.js';
import { checkOutputPaths } from '../report/output-paths.js';
import { failedOutputLines, systemReason, writeAtomically } from '../report/write.js';

export interface CompareOptions {
  reports: string[];
  html?: string;
  color?: boolean;
}

export default async function compareCommand(opts: CompareOptions, io: Io): Promise<number> {
  if (!opts.reports || opts.reports.length === 0) throw new UsageError('compare needs at least one report file');
  if (opts.html !== undefined) await checkOutputPaths([{ option: '--html', file: opts.html, example: 'comparison.html' }], io.cwd);
  const reports: Report[] = [];
  for (const file of opts.reports) reports.push(await loadReport(file, { cwd: io.cwd }));

  io.out(formatCompareTerminal(reports, { color: wantsColor(io, opts.color) }));
  if (opts.html) {
    try {
      await writeAtomically(resolve(io.cwd, opts.html), formatCompareHtml(reports));
    } catch (error) {
      // Checked up front, so only a change since then (a full disk, a folder removed) lands here.
      throw new ReportNotWrittenError(failedOutputLines([{ option: '--html', file: opts.html, reason: systemReason(error) }]).join('\n'));
    }
    io.err(`ehr-check: comparison written to ${opts.html}\n`);
  }
  return EXIT.ok;
}
