// Plan files as a user writes them: YAML in a folder of their own, beside the vendor's manifest and the
// buyer's registry of certifications (copied from fixtures/plans/, named relative to the plan).
import { copyFile, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { AuthConfig, FreshnessSettings } from '../../src/model/plan.js';
import { REPO } from '../helpers/paths.js';
import { CHECK_DEFAULTS } from '../../checks/index.js';

export const PLAN_FIXTURES = join(REPO, 'fixtures', 'plans');
export const REFERENCE_VENDOR = 'Loopback Reference Vendor';

export async function tempDir(label: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `ehr-check-${label}-`));
}

export interface PlanFileOptions {
  ehrBaseUrl: string;
  vendorBaseUrl: string;
  ehrAuth?: AuthConfig;
  vendorAuth?: AuthConfig;
  /** The plan's `sandbox:` flag (default true). */
  sandbox?: boolean;
  schedule?: string;
  freshness?: Partial<FreshnessSettings>;
  gate?: { minScore?: number; require?: Array<'bidirectional' | 'coverage' | 'freshness'> };
  /** Reference the manifest and the registry of fixtures/plans/ (default true). */
  claims?: boolean;
}

/** Writes `plan.yaml` (and the claim files it names) into `dir`; returns the plan's path. */
export async function writePlanFile(dir: string, options: PlanFileOptions): Promise<string> {
  const claims = options.claims ?? true;
  if (claims) {
    await copyFile(join(PLAN_FIXTURES, 'reference-vendor.manifest.json'), join(dir, 'vendor-manifest.json'));
    await copyFile(join(PLAN_FIXTURES, 'reference-vendor.certifications.json'), join(dir, 'certifications.json'));
  }
  const plan = {
    version: 1,
    buyer: {
      name: 'Loopback Test Buyer',
      volumes: { bookingsPerWeek: 600, minutesPerManualEntry: 4, staffHourlyCost: 38 },
      sites: [{ name: 'Main Hospital', system: 'epic' }],
    },
    vendor: { name: REFERENCE_VENDOR, ...(claims ? { manifest: './vendor-manifest.json' } : {}) },
    connections: [
      {
        system: 'epic',
        ehr: { fhirBaseUrl: options.ehrBaseUrl, sandbox: options.sandbox ?? true, auth: options.ehrAuth ?? { type: 'none' } },
        vendor: { kind: 'fhir', baseUrl: options.vendorBaseUrl, auth: options.vendorAuth ?? { type: 'none' } },
        ...(options.schedule ? { schedule: options.schedule } : {}),
      },
    ],
    checks: {
      ...CHECK_DEFAULTS,
      freshness: { ...CHECK_DEFAULTS.freshness, trials: 2, timeoutSeconds: 4, realTimeSeconds: 1, nearRealTimeSeconds: 2, ...options.freshness },
    },
    gate: options.gate ?? { minScore: 70, require: ['bidirectional'] },
    ...(claims ? { certifications: './certifications.json' } : {}),
  };
  const file = join(dir, 'plan.yaml');
  await writeFile(file, `# written by an ehr-check test\n${stringify(plan)}`);
  return file;
}

/** The run ledgers beside a plan: `{ open: [...runIds], cleaned: [...runIds] }`. */
export async function ledgers(planDir: string): Promise<{ open: string[]; cleaned: string[] }> {
  const dir = join(planDir, '.ehr-check', 'ledger');
  const files = await readdir(dir).catch(() => [] as string[]);
  return {
    open: files.filter((f) => f.endsWith('.jsonl') && !f.endsWith('.cleaned.jsonl')).map((f) => f.slice(0, -'.jsonl'.length)),
    cleaned: files.filter((f) => f.endsWith('.cleaned.jsonl')).map((f) => f.slice(0, -'.cleaned.jsonl'.length)),
  };
}

export async function readJson<T = any>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}
