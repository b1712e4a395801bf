// Cold start of `ehr-check --help` against Node's own start-up, measured side by side in one run so the ratio
// survives a noisy machine: runs alternate, and the medians are compared.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/ehr-check.js', import.meta.url));

function timeOnce(args: string[]): number {
  const started = process.hrtime.bigint();
  const res = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (res.status !== 0) throw new Error(`${args.join(' ')} exited ${res.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchStartup(runs = 15): Promise<string[]> {
  const node: number[] = [];
  const help: number[] = [];
  timeOnce(['-e', '0']); // warm the file cache for both
  timeOnce([BIN, '--help']);
  for (let i = 0; i < runs; i++) {
    node.push(timeOnce(['-e', '0']));
    help.push(timeOnce([BIN, '--help']));
  }
  const ratio = median(help) / median(node);
  return [
    `startup: node -e 0 median ${median(node).toFixed(1)} ms; ehr-check --help median ${median(help).toFixed(1)} ms (${runs} alternating runs)`,
    `startup: ratio ${ratio.toFixed(2)}x (target <= 2.00x) ${ratio <= 2 ? 'OK' : 'OVER TARGET'}`,
  ];
}
