// `npm run bench`: the speed and accuracy targets of the issues, as ratios measured in one run.
import { benchCoverage } from './coverage.js';
import { benchDemo } from './demo.js';
import { benchFreshness } from './freshness.js';
import { benchStartup } from './startup.js';

const sections: Array<[string, () => Promise<string[]>]> = [
  ['startup', () => benchStartup()],
  ['coverage', () => benchCoverage()],
  ['freshness', () => benchFreshness()],
  ['demo', () => benchDemo()],
];

for (const [name, run] of sections) {
  try {
    for (const line of await run()) console.log(line);
  } catch (error) {
    console.log(`${name}: FAILED ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
