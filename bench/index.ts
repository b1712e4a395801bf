// `npm run bench`: the speed and accuracy targets of the issues, as ratios measured in one run.
// `node dist/bench/index.js SECTION...` runs only the sections named (startup, coverage, freshness,
// freshness-concurrency, volume, demo).
import { benchCoverage } from './coverage.js';
import { benchDemo } from './demo.js';
import { benchFreshnessConcurrency } from './freshness-concurrency.js';
import { benchFreshness } from './freshness.js';
import { benchStartup } from './startup.js';
import { benchVolume } from './volume.js';

const sections: Array<[string, () => Promise<string[]>]> = [
  ['startup', () => benchStartup()],
  ['coverage', () => benchCoverage()],
  ['freshness', () => benchFreshness()],
  ['freshness-concurrency', () => benchFreshnessConcurrency()],
  ['volume', () => benchVolume()],
  ['demo', () => benchDemo()],
];

const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !sections.some(([known]) => known === name));
if (unknown.length > 0) {
  console.log(`unknown bench section(s): ${unknown.join(', ')}; known: ${sections.map(([name]) => name).join(', ')}`);
  process.exitCode = 2;
} else {
  for (const [name, run] of sections) {
    if (chosen.length > 0 && !chosen.includes(name)) continue;
    try {
      for (const line of await run()) console.log(line);
    } catch (error) {
      console.log(`${name}: FAILED ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
  }
}
