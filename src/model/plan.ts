// The plan, manifest and certification registry as the program sees them after validation (docs/plan-and-manifest.md, §4).
import type { CheckId, PlanCheckSettings, PlanChecks } from '../../checks/catalog.js';

export type AuthConfig =
  | { type: 'none' }
  | { type: 'bearer'; tokenEnv: string }
  | { type: 'client-credentials'; clientId: string; secretEnv: string; tokenUrl?: string; scope?: string }
  | {
      type: 'backend-services';
      clientId: string;
      privateKeyFile: string;
      alg: 'RS384' | 'ES384';
      kid?: string;
      tokenUrl?: string;
      scope?: string;
    };

export interface Site {
  name: string;
  system: string;
  /** The system id is deliberately one the catalog does not list. */
  custom?: boolean;
}

export interface BuyerVolumes {
  bookingsPerWeek: number;
  minutesPerManualEntry: number;
  staffHourlyCost: number;
  /** Staff minutes to resolve one double-booking; the cost panel assumes VOLUME_DEFAULTS' value without it. */
  minutesPerDoubleBooking?: number;
}

export interface Connection {
  system: string;
  custom?: boolean;
  ehr: { fhirBaseUrl: string; sandbox?: boolean; auth: AuthConfig };
  vendor: VendorEndpoint;
  schedule?: string;
}

/** How the vendor is reached, by `kind` (src/contracts/schemas/vendor-endpoint.ts; docs/vendor-contract.md). */
export type VendorEndpoint = FhirVendorEndpoint | HttpVendorEndpoint | PersonVendorEndpoint | SchedulingLinksVendorEndpoint;

export interface FhirVendorEndpoint {
  kind: 'fhir';
  baseUrl: string;
  auth: AuthConfig;
}

export interface HttpVendorEndpoint {
  kind: 'http';
  baseUrl: string;
  auth: AuthConfig;
  /** The mapping file; absolute once the plan is loaded. */
  mapping: string;
  params?: Record<string, string | number>;
}

export interface PersonVendorEndpoint {
  kind: 'person';
  channel: { type: 'phone' | 'chat' | 'sms' | 'web'; address: string };
  /** How to name the schedule to the product ("Dr. Lee"). */
  practitioner?: string;
}

export interface SchedulingLinksVendorEndpoint {
  kind: 'scheduling-links';
  manifestUrl: string;
  /** The feed's Schedule standing for the EHR's schedule (id or `Schedule/{id}`). */
  schedule?: string;
  minPollSeconds?: number;
}

export interface CheckSettings {
  weight: number;
}
/** `checks.freshness`: its weight and the settings the freshness check declares. */
export type FreshnessSettings = PlanCheckSettings['freshness'];
/** `checks.volume`: its weight, how many bookings, how many at once, and the share retried while in flight. */
export type VolumeSettings = PlanCheckSettings['volume'];

export interface Plan {
  version: 1;
  buyer: { name: string; volumes?: BuyerVolumes; sites: Site[] };
  vendor: { name: string; manifest?: string };
  connections: Connection[];
  /** Each check's settings, as its definition declares them (checks/index.ts); an opt-in check only when listed. */
  checks: PlanChecks;
  gate: { minScore?: number; require?: CheckId[] };
  /** How hard the run may press any one host (filled in by the loader; the default when absent). */
  limits?: { requestsPerHost: number };
  certifications?: string;
  chpl?: { baseUrl?: string; apiKeyEnv?: string; exportFile?: string };
}

/** A plan as loaded: paths already resolved against the plan's folder, defaults filled in. */
export interface LoadedPlan {
  file: string;
  plan: Plan;
  manifest?: Manifest;
  registry?: CertificationRegistry;
}

export type Mechanism = 'fhir-subscription' | 'hl7v2' | 'polling' | 'batch' | 'manual';
export type FreshnessClaim = 'real-time' | 'near-real-time' | 'delayed' | 'batch';

export interface ManifestSystem {
  system: string;
  custom?: boolean;
  directions?: Array<'read' | 'write'>;
  mechanism?: Mechanism;
  freshness?: FreshnessClaim;
  certifications?: Array<{ program: string; listingId: string }>;
}

export interface Manifest {
  version: 1;
  vendor: string;
  claimedSystemCount?: number;
  systems: ManifestSystem[];
}

export interface Listing {
  program: string;
  system: string;
  custom?: boolean;
  vendor: string;
  listingId: string;
  status: 'active' | 'suspended' | 'withdrawn';
  validUntil?: string;
}

export interface CertificationRegistry {
  version: 1;
  listings: Listing[];
}
