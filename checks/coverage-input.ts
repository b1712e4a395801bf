// The coverage check's input, picked from what the run gathered: the buyer's sites and the connections by catalog
// system, the bidirectional findings that show a booking landing, the vendor's claims, and CHPL's answers.
import type { CoverageRow, Finding, Status } from '../src/model/report.js';
import { certificationInput } from './certification-input.js';
import type { CoverageConnection, CoverageInput, EhrCertificationEvidence } from './coverage.js';
import type { RunEvidence } from './evidence.js';

export function coverageInput(run: RunEvidence, judged: ReadonlyMap<string, readonly Finding[]>): CoverageInput {
  const { canonical } = run.catalog;
  const bidirectional = judged.get('bidirectional') ?? [];
  const statusOf = (key: string, id: string): Status | undefined => bidirectional.find((f) => f.connection === key && f.id === id)?.status;
  const certified: Record<string, CoverageRow['certified']> = {};
  for (const c of run.connections) {
    const states = certificationInput(run, c).certification.claims.map((x) => x.state);
    certified[c.system] = states.length === 0 ? 'none' : states.includes('lapsed') ? 'lapsed' : states.every((s) => s === 'verified') ? 'verified' : 'claimed';
  }
  const claimed = run.catalog.resolveClaims(run.manifest);
  return {
    sites: run.sites.map((s) => ({ name: s.name, system: canonical(s.system) })),
    connections: run.connections.map(
      (c): CoverageConnection => ({
        key: c.key,
        system: canonical(c.system),
        live: c.live,
        readThrough: statusOf(c.key, 'read-through'),
        writeLands: statusOf(c.key, 'write-lands'),
        ehrCertification: run.ehrCertification[canonical(c.system)],
        ...(c.vendorKind && { vendorKind: c.vendorKind }),
      }),
    ),
    claimedSystems: claimed.systems,
    claimedSystemCount: run.manifest?.claimedSystemCount ?? (run.manifest ? run.manifest.systems.length : null),
    unknownClaimedNames: claimed.unknown,
    certified,
    ehrCertified: ehrCertifiedColumn(run.ehrCertification),
    displayName: run.catalog.displayName,
  };
}

/** The matrix's EHR certification column: CHPL's status per system. */
export function ehrCertifiedColumn(evidence: Record<string, EhrCertificationEvidence>): Record<string, EhrCertificationEvidence['status']> {
  return Object.fromEntries(Object.entries(evidence).map(([system, e]) => [system, e.status]));
}
