// `ehr-check compare REPORT... [--html FILE] [--no-color]`: saved reports side by side, best score first.
// Every file is loaded (and validated) before anything is printed, so one bad file names itself and exits 2.
import { resolve } from 'node:path';
import type { Io } from '../cli/io.js';
import { wantsColor } from '../cli/io.js';
import { loadReport } from '../contracts/load.js';
import { EXIT, InputError, UsageError } from '../errors.js';
import type { Report } from '../model/report.js';
import { formatCompareHtml, formatCompareTerminal } from '../report/compare.js';
import { writeAtomically } from '../report/write.js';

export interface CompareOptions {
  reports: string[];
  html?: string;
  color?: boolean;
}

export default async function compareCommand(opts: CompareOptions, io: Io): Promise<number> {
  if (!opts.reports || opts.reports.length === 0) throw new UsageError('compare needs at least one report file');
  const reports: Report[] = [];
  for (const file of opts.reports) reports.push(await loadReport(file, { cwd: io.cwd }));

  io.out(formatCompareTerminal(reports, { color: wantsColor(io, opts.color) }));
  if (opts.html) {
    try {
      await writeAtomically(resolve(io.cwd, opts.html), formatCompareHtml(reports));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
      throw new InputError([{ file: opts.html, field: '', message: `cannot write the comparison here (${code})` }]);
    }
    io.err(`ehr-check: comparison written to ${opts.html}\n`);
  }
  return EXIT.ok;
}
