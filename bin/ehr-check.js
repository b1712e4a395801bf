#!/usr/bin/env node
// Thin entry: the only place that exits. Everything else returns an exit code or throws a typed error.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = new URL('../dist/src/cli/main.js', import.meta.url);
const project = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
let main;
try {
  ({ main } = await import(built.href));
} catch (error) {
  // A clone that was never built, or never installed: say which, and how to fix it, instead of a module trace.
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  const fix = existsSync(built) ? 'its dependencies are not installed: run `npm ci`' : 'it is not built yet: run `npm ci` (or `npm run build`)';
  process.stderr.write(`ehr-check: cannot start: ${fix} in ${project}\n`);
  process.exit(2);
}

const code = await main(process.argv);
// A pipe whose reader is slower than us (`ehr-check demo --json - | jq`) still holds queued output: exit only
// once stdout and stderr have taken everything. Exiting also ends any keep-alive socket a probe left open.
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
process.exit(code);
