// `ehr-check demo`: three reference vendors on embedded sandboxes, evaluated side by side. No network.
import type { Io } from '../cli/io.js';
import { wantsColor } from '../cli/io.js';
import { createProgress } from '../cli/progress.js';
import { InterruptedError } from '../errors.js';
import type { Report } from '../model/report.js';
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

export default async function demoCommand(opts: DemoOptions, io: Io): Promise<number> {
  validateNumbers(opts);
  const progress = createProgress(io, { quiet: opts.quiet });
  progress('starting embedded EHR sandboxes and reference vendors');
  const { startDemoWorld } = await import('../../fixtures/demo/scenario.js');
  const { evaluate } = await import('../run/runner.js');
  const { MemoryLedger } = await import('../safety/ledger.js');
  const { newRunId } = await import('../run/run-id.js');
  const { watchInterrupts } = await import('../run/interrupt.js');
  const { writeOutputs, perVendorPath } = await import('../report/write.js');

  const world = await startDemoWorld();
  const watch = watchInterrupts(() => progress('interrupted: stopping probes and cleaning up…'));
  let reports: Report[];
  try {
    reports = await Promise.all(
      world.plans.map(({ vendor, loaded }) => {
        const runId = newRunId();
        return evaluate({
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
  for (const [i, report] of reports.entries()) {
    const id = world.plans[i]!.vendor.id;
    await writeOutputs(report, {
      json: opts.json === '-' ? undefined : perVendorPath(opts.json, id),
      html: perVendorPath(opts.html, id),
      junit: perVendorPath(opts.junit, id),
      markdown: perVendorPath(opts.markdown, id),
    }, io);
  }
  // `--json -` prints the three reports as one JSON array, so stdout stays one parseable document.
  if (opts.json === '-') io.out(`${JSON.stringify(reports, null, 2)}\n`);
  else {
    const color = wantsColor(io, opts.color);
    const { formatCompareTerminal } = await import('../report/compare.js');
    const { formatTerminal } = await import('../report/terminal.js');
    if (!opts.quiet) for (const report of reports) io.out(`${formatTerminal(report, { color })}\n`);
    io.out(formatCompareTerminal(reports, { color }));
  }
  if (watch.interrupted) throw new InterruptedError('interrupted: cleanup ran; the partial reports were written');
  return 0;
}
