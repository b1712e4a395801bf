// `ehr-check demo` end to end, as a newcomer runs it: wall time against the 45 s budget.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/ehr-check.js', import.meta.url));

export async function benchDemo(): Promise<string[]> {
  const started = process.hrtime.bigint();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'demo', '--quiet'], { stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
    child.on('error', reject);
    child.on('close', resolve);
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const budget = 45;
  return [
    `demo: exit ${code}, wall ${seconds.toFixed(1)} s against a ${budget} s budget: ${(seconds / budget).toFixed(2)}x of budget ${code === 0 && seconds <= budget ? 'OK' : 'OVER TARGET'}`,
  ];
}
