// `ehr-check demo`: reference vendors of each kind on embedded sandboxes, evaluated side by side. No network.
import type { Io } from '../cli/io.js';
import { wantsColor } from '../cli/io.js';
import { createProgress } from '../cli/progress.js';
import { InterruptedError, ReportNotWrittenError } from '../errors.js';
import type { Report } from '../model/report.js';
import { checkOutputPaths, requestedOutputs, type OutputFlags } from '../report/output-paths.js';
import { perVendorPath, type FailedOutput } from '../report/write.js';
import { toolVersion, validateNumbers } from './run.js';

export interface DemoOptions {
  json?: string;
  html?: string;
  junit?: string;
  markdown?: string;
  quiet?: boolean;
  color?: boolean;
  trials?: number;
}

/** `--json report.json` → one file per vendor: `report.deep.json`, `report.shallow.json`, … */
function vendorOutputs(opts: DemoOptions, vendor: string): OutputFlags {
  return {
    json: opts.json === '-' ? undefined : perVendorPath(opts.json, vendor),
    html: perVendorPath(opts.html, vendor),
    junit: perVendorPath(opts.junit, vendor),
    markdown: perVendorPath(opts.markdown, vendor),
  };
}

export default async function demoCommand(opts: DemoOptions, io: Io): Promise<number> {
  validateNumbers(opts);
  const { DEMO_VENDORS, projectFile, startDemoWorld } = await import('../../fixtures/demo/scenario.js');
  // Every per-vendor file is checked before a sandbox starts: a bad path costs a second, not the whole demo.
  await checkOutputPaths(DEMO_VENDORS.flatMap(({ id }) => requestedOutputs(vendorOutputs(opts, id))), io.cwd, opts);
  const progress = createProgress(io, { quiet: opts.quiet });
  progress('starting embedded EHR sandboxes and reference vendors');
  const { evaluate } = await import('../run/runner.js');
  const { MemoryLedger } = await import('../safety/ledger.js');
  const { newRunId } = await import('../run/run-id.js');
  const { watchInterrupts } = await import('../run/interrupt.js');
  const { writeOutputs, failedOutputLines } = await import('../report/write.js');
  const { chooseOperator } = await import('../operator/choose.js');

  // The demo lists the volume check, which plans leave out by default: the gap between vendors shows at scale.
  const world = await startDemoWorld({ volume: true });
  const watch = watchInterrupts(() => progress('interrupted: stopping probes and cleaning up…'));
  let reports: Report[];
  try {
    reports = await Promise.all(
      world.plans.map(async ({ vendor, loaded }) => {
        const runId = newRunId();
        // A vendor reached through a person is used by the demo's scripted person, as `run --operator-script` would.
        const operator = vendor.operatorScript
          ? await chooseOperator({ script: projectFile(vendor.operatorScript), io, ehrBaseUrls: loaded.plan.connections.map((c) => c.ehr.fhirBaseUrl) })
          : undefined;
        return evaluate({
          ...(operator && { operator }),
          loaded,
          runId,
          ledger: new MemoryLedger(runId),
          allowWrites: true,
          trials: opts.trials,
          gate: {},
          env: io.env,
          signal: watch.signal,
          progress: (m) => progress(`${vendor.id}: ${m}`),
          expectDuration: (ms) => progress.countDownTo(ms),
          toolVersion: toolVersion(),
        });
      }),
    );
  } finally {
    progress.done();
    watch.dispose();
    await world.close();
  }
  const written: Array<{ vendor: string; files: string[] }> = [];
  const failed: FailedOutput[] = [];
  for (const [i, report] of reports.entries()) {
    const result = await writeOutputs(report, vendorOutputs(opts, world.plans[i]!.vendor.id), io);
    if (result.written.length > 0) written.push({ vendor: report.vendor.name, files: result.written.map((w) => w.file) });
    failed.push(...result.failed);
  }
  // `--json -` prints the reports as one JSON array, so stdout stays one parseable document.
  if (opts.json === '-') io.out(`${JSON.stringify(reports, null, 2)}\n`);
  else {
    const color = wantsColor(io, opts.color);
    const { formatCompareTerminal } = await import('../report/compare.js');
    const { formatTerminal } = await import('../report/terminal.js');
    if (!opts.quiet) for (const report of reports) io.out(`${formatTerminal(report, { color })}\n`);
    io.out(formatCompareTerminal(reports, { color }));
  }
  // Where each vendor's files went: `report.html` became report.deep.html, report.shallow.html, …
  if (written.length > 0 && !opts.quiet) {
    const width = Math.max(...written.map((w) => w.vendor.length));
    io.err(`Reports written, one set per vendor:\n${written.map((w) => `  ${w.vendor.padEnd(width)}  ${w.files.join('  ')}`).join('\n')}\n`);
  }
  const notWritten = failedOutputLines(failed);
  if (watch.interrupted) throw new InterruptedError(['interrupted: cleanup ran; the partial reports were written', ...notWritten].join('\n'));
  if (notWritten.length > 0) throw new ReportNotWrittenError(notWritten.join('\n'));
  return 0;
}
