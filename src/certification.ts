// Claimed certifications (the vendor's manifest) against the buyer's registry of listings (docs/plan-and-manifest.md). Pure.
import type { CertificationRegistry, Listing, Manifest, ManifestSystem } from './model/plan.js';

export type ClaimState = 'verified' | 'unverified' | 'lapsed';

export interface ClaimCheck {
  program: string;
  listingId: string;
  state: ClaimState;
  /** Why: which listing matched, or what was missing or wrong with it. */
  reason: string;
  listingStatus?: Listing['status'] | 'expired';
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');

export function claimsFor(manifest: Manifest | undefined, system: string, sameSystem: (a: string, b: string) => boolean): ManifestSystem | undefined {
  return manifest?.systems.find((s) => sameSystem(s.system, system));
}

/** Checks each certification the vendor claims for one system against the registry. */
export function checkClaims(
  claimed: ManifestSystem | undefined,
  vendorName: string,
  system: string,
  registry: CertificationRegistry | undefined,
  now: Date,
  sameSystem: (a: string, b: string) => boolean,
): ClaimCheck[] {
  return (claimed?.certifications ?? []).map((claim) => {
    const sameListing = (registry?.listings ?? []).filter(
      (l) => norm(l.program) === norm(claim.program) && l.listingId === claim.listingId,
    );
    if (!registry) return { ...claim, state: 'unverified', reason: 'no certification registry was given to verify it against' };
    if (sameListing.length === 0) return { ...claim, state: 'unverified', reason: `no listing ${claim.listingId} in program ${claim.program} in the registry` };
    const forThis = sameListing.filter((l) => sameSystem(l.system, system) && norm(l.vendor) === norm(vendorName));
    if (forThis.length === 0) {
      const l = sameListing[0]!;
      return { ...claim, state: 'unverified', reason: `listing ${claim.listingId} is for ${l.vendor} on ${l.system}, not ${vendorName} on ${system}` };
    }
    const active = forThis.find((l) => l.status === 'active' && !expired(l, now));
    if (active) return { ...claim, state: 'verified', reason: `active listing ${active.listingId}${active.validUntil ? ` valid until ${active.validUntil}` : ''}`, listingStatus: 'active' };
    const l = forThis[0]!;
    const status = l.status === 'active' ? 'expired' : l.status;
    return { ...claim, state: 'lapsed', reason: `listing ${l.listingId} is ${status}${l.validUntil ? ` (valid until ${l.validUntil})` : ''}`, listingStatus: status };
  });
}

function expired(listing: Listing, now: Date): boolean {
  if (!listing.validUntil) return false;
  const until = Date.parse(listing.validUntil.length === 10 ? `${listing.validUntil}T23:59:59Z` : listing.validUntil);
  return Number.isFinite(until) && until < now.getTime();
}
