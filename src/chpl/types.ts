// ONC CHPL certification of an EHR developer's product: the shapes the lookup returns.

/** CHPL's id of criterion 170.315 (g)(10), "Standardized API for Patient and Population Services". */
export const G10_CRITERION_ID = 182;
export const G10_CRITERION_NUMBER = '170.315 (g)(10)';

export interface ChplListing {
  chplProductNumber: string;
  developer: string;
  product: string;
  version: string;
  /** As CHPL words it: "Active", "Withdrawn by Developer", "Retired", ... */
  certificationStatus: string;
  certificationDate?: string;
  /** The listing's certified criteria include (g)(10). */
  g10: boolean;
}

export interface EhrCertification {
  /** certified: at least one Active listing with (g)(10); unknown: CHPL could not be asked or read. */
  status: 'certified' | 'not-certified' | 'unknown';
  listings: ChplListing[];
  /** Where the answer came from, without secrets: "CHPL API https://..." or "CHPL export FILE". */
  source: string;
  problem?: string;
}

/** One GET for JSON; resolves for any HTTP status. Injectable so callers can reuse their own HTTP layer. */
export type ChplGet = (url: string, headers: Record<string, string>) => Promise<{ status: number; body: unknown }>;

export type ChplSource =
  | { kind: 'api'; baseUrl: string; apiKey: string; fetch?: ChplGet; timeoutMs?: number }
  | { kind: 'file'; path: string };

export interface ChplQuery {
  /** Developer names as CHPL spells them (the catalog's `chplDeveloperNames`). */
  developerNames: string[];
}
