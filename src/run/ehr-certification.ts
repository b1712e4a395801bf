// EHR certification in a run: when the plan has `chpl`, ask ONC's CHPL once per connected system whether the
// EHR's developer holds an active (g)(10) certification (the standardized FHIR API), for the coverage matrix
// and the connection-live evidence. The API key is read from the environment variable the plan names and goes
// no further than the CHPL lookup, which keeps it out of every answer it gives.
import type { EhrCertificationEvidence } from '../../checks/coverage.js';
import { resolveSystem } from '../catalog/systems.js';
import { lookupEhrCertification, type ChplGet, type ChplSource, type EhrCertification } from '../chpl/index.js';
import type { Plan } from '../model/plan.js';

/** CHPL's public REST API (the plan's `chpl.baseUrl` overrides it). */
export const CHPL_API_BASE = 'https://chpl.healthit.gov/rest';

export type ChplSettings = NonNullable<Plan['chpl']>;

export interface CertifyOptions {
  env: NodeJS.ProcessEnv;
  /** Injected HTTP for the API (tests); the CHPL client's own bounded transport otherwise. */
  fetch?: ChplGet;
  timeoutMs?: number;
}

/**
 * The certification evidence for each distinct system (catalog ids), looked up once per system.
 * No `chpl` in the plan: an empty record (nothing looked up). An unreadable export file throws InputError.
 */
export async function certifyEhrSystems(systems: readonly string[], chpl: ChplSettings | undefined, options: CertifyOptions): Promise<Record<string, EhrCertificationEvidence>> {
  if (!chpl) return {};
  const source = chplSource(chpl, options);
  const distinct = [...new Set(systems)];
  // Sequential: a handful of systems, and CHPL's API is rate-limited per key.
  const found: Record<string, EhrCertificationEvidence> = {};
  for (const system of distinct) found[system] = toEvidence(await lookupSystem(system, source));
  return found;
}

/** The coverage matrix's `ehrCertified` column from the evidence. */
export { ehrCertifiedColumn } from '../../checks/coverage-input.js';

type Source = ChplSource | { kind: 'none'; label: string; problem: string };

function chplSource(chpl: ChplSettings, options: CertifyOptions): Source {
  // An export file wins: it is what a buyer without a key, or a run without network, asks for.
  if (chpl.exportFile !== undefined) return { kind: 'file', path: chpl.exportFile };
  const baseUrl = chpl.baseUrl ?? CHPL_API_BASE;
  if (chpl.apiKeyEnv === undefined) {
    return { kind: 'none', label: 'CHPL', problem: 'the plan\'s chpl section names neither apiKeyEnv nor exportFile' };
  }
  const apiKey = options.env[chpl.apiKeyEnv]?.trim() ?? '';
  if (apiKey === '') return { kind: 'none', label: 'CHPL API', problem: `no CHPL API key: the environment variable ${chpl.apiKeyEnv} is not set` };
  return {
    kind: 'api',
    baseUrl,
    apiKey,
    ...(options.fetch && { fetch: options.fetch }),
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
  };
}

async function lookupSystem(system: string, source: Source): Promise<EhrCertification> {
  if (source.kind === 'none') return { status: 'unknown', listings: [], source: source.label, problem: source.problem };
  const developerNames = resolveSystem(system)?.chplDeveloperNames ?? [];
  if (developerNames.length === 0) {
    const label = source.kind === 'file' ? `CHPL export ${source.path}` : 'CHPL API';
    return { status: 'unknown', listings: [], source: label, problem: `the catalog knows no CHPL developer for "${system}"` };
  }
  return lookupEhrCertification({ developerNames }, source);
}

function toEvidence(result: EhrCertification): EhrCertificationEvidence {
  const g10 = result.listings.filter((l) => l.g10);
  return {
    status: result.status,
    listings: g10.map((l) => l.chplProductNumber),
    activeListings: g10.filter((l) => l.certificationStatus.toLowerCase() === 'active').map((l) => l.chplProductNumber),
    source: result.source,
    ...(result.problem !== undefined && { problem: result.problem }),
  };
}
