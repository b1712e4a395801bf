// A connection as the bidirectional check reads it: its probes, and the vendor's certification claims for its
// system checked against the registry. Coverage reads the same claims for its matrix, so both build them here.
import { checkClaims, claimsFor, type ClaimCheck } from '../src/certification.js';
import type { BidirectionalEvidence } from '../src/probes/bidirectional.js';
import type { ConnectionEvidence, RunEvidence } from './evidence.js';

export interface CertifiedConnection {
  key: string;
  system: string;
  buyerRuns: boolean;
  /** Absent when the connection was not live: every probe finding is then an error. */
  probes?: BidirectionalEvidence;
  notLiveReason?: string;
  certification: { claims: ClaimCheck[]; claimed: boolean };
}

export function certificationInput(run: RunEvidence, c: ConnectionEvidence): CertifiedConnection {
  const { canonical, same } = run.catalog;
  const claimed = claimsFor(run.manifest, c.system, same);
  const system = canonical(c.system);
  return {
    key: c.key,
    system: c.system,
    buyerRuns: run.sites.some((s) => canonical(s.system) === system),
    probes: c.probes.bidirectional,
    notLiveReason: c.notProbedReason,
    certification: { claimed: Boolean(claimed), claims: checkClaims(claimed, run.vendorName, c.system, run.registry, run.now, same) },
  };
}
