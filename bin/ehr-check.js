#!/usr/bin/env node
// Thin entry: the only place that exits. Everything else returns an exit code or throws a typed error.
import { main } from '../dist/src/cli/main.js';

const code = await main(process.argv);
// A pipe whose reader is slower than us (`ehr-check demo --json - | jq`) still holds queued output: exit only
// once stdout and stderr have taken everything. Exiting also ends any keep-alive socket a probe left open.
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
process.exit(code);
