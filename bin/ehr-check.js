#!/usr/bin/env node
// Thin entry: the only place that exits. Everything else returns an exit code or throws a typed error.
import { main } from '../dist/src/cli/main.js';

const code = await main(process.argv);
// On Linux, writes to files, pipes and TTYs are synchronous, so nothing printed is lost by exiting here;
// exiting also ends any keep-alive socket a probe left open.
process.exit(code);
