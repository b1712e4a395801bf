// What a run gathered, as checks read it: plain data, no clients. The runner's gather step fills it in; each
// check's `input` picks what it needs from it, so judging runs no I/O and can be replayed from recorded evidence.
import type { FindingMethod } from '../src/capability/methods.js';
import type { Verification } from '../src/capability/verified.js';
import type { CertificationRegistry, Manifest } from '../src/model/plan.js';
import type { FindingId } from '../src/model/report.js';
import type { BidirectionalEvidence } from '../src/probes/bidirectional.js';
import type { LiveEvidence } from '../src/probes/connection-live.js';
import type { FreshnessEvidence } from '../src/probes/freshness/types.js';
import type { VolumeEvidence } from '../src/probes/volume/types.js';
import type { EhrCertificationEvidence } from './coverage.js';

/** Per-connection probe evidence, by the name of the probe that gathers it (src/run/gatherers.ts). */
export interface ProbeEvidence {
  bidirectional: BidirectionalEvidence;
  freshness: FreshnessEvidence;
  volume: VolumeEvidence;
}

export interface ConnectionEvidence {
  /** The connection's report id (`epic`, `epic#2`). */
  key: string;
  /** Its system as the plan names it. */
  system: string;
  live: LiveEvidence;
  /** Why its probes did not run (not live, interrupted, a probe that stopped on a bug); absent when they ran. */
  notProbedReason?: string;
  /** Each probe's evidence; absent when that probe was not run. */
  probes: Partial<ProbeEvidence>;
  /** How each finding could be judged on this EHR, and the undeclared searches tried (absent: not read). */
  methods?: Record<FindingId, FindingMethod>;
  /** The vendor's side: how each finding that asks something of the vendor could be done with its kind. */
  vendorMethods?: Partial<Record<FindingId, FindingMethod>>;
  /** The plan's `vendor.kind` for this connection. */
  vendorKind?: string;
  verification?: Verification;
}

/** The systems catalog as checks use it (src/run/systems.ts makes it). */
export interface SystemNames {
  canonical(nameOrId: string): string;
  same(a: string, b: string): boolean;
  displayName(id: string): string;
  resolveClaims(manifest: Manifest | undefined): { systems: string[]; unknown: string[] };
}

export interface RunEvidence {
  connections: ConnectionEvidence[];
  sites: Array<{ name: string; system: string }>;
  vendorName: string;
  manifest?: Manifest;
  registry?: CertificationRegistry;
  /** CHPL's answer per catalog system id (empty when not looked up). */
  ehrCertification: Record<string, EhrCertificationEvidence>;
  /** The moment certifications are judged against. */
  now: Date;
  catalog: SystemNames;
}
