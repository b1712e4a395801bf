// The checks, registered once. Everything else about them derives from this list: the runner's wiring, the plan
// schema's `checks.*` settings and enums, default weights, the finding ids and their types, `inspect`'s rows,
// the init wizard's questions and the HTML report's descriptions. A new check is a file here and a line below.
import { bidirectional } from './bidirectional.js';
import { coverage } from './coverage.js';
import { freshness } from './freshness.js';
import { volume } from './volume.js';
import { CHECK_IDS } from './catalog.js';

/** In report order; a check listed in another's `uses` comes before it. */
export const CHECKS = [bidirectional, coverage, freshness, volume] as const;

export type Check = (typeof CHECKS)[number];
// The ids and their types live with the checks' data (checks/catalog.ts); the registry re-exports them.
export {
  ALL_FINDING_IDS,
  CHECK_DEFAULTS,
  CHECK_IDS,
  CHECK_SETTINGS_DEFAULTS,
  DEFAULT_CHECK_IDS,
  OPT_IN_CHECKS,
  EHR_PROBED_FINDINGS,
  FINDINGS_BY_CHECK,
  JUDGED_WITHOUT_EHR,
  RUN_LEVEL_FINDINGS,
  type CheckId,
  type FindingId,
  type PlanCheckSettings,
  type PlanChecks,
} from './catalog.js';

// The registry and the catalog must list the same checks in the same order.
if (CHECKS.map((c) => c.id).join() !== CHECK_IDS.join()) throw new Error('checks/index.ts and checks/catalog.ts list different checks');

