// Facts about a plan's vendor endpoint that do not depend on its kind's adapter: where it is, and its credentials.
import type { AuthConfig, VendorEndpoint } from '../model/plan.js';

/** Where the vendor is reached, as reports show it: its API's base URL, its feed's manifest, or the person's channel. */
export function vendorAddress(vendor: VendorEndpoint): string {
  switch (vendor.kind) {
    case 'fhir':
    case 'http':
      return vendor.baseUrl;
    case 'scheduling-links':
      return vendor.manifestUrl;
    case 'person':
      return vendor.channel.address;
  }
}

/** The credentials ehr-check presents to the vendor; none for a person's channel or a public feed. */
export function vendorAuth(vendor: VendorEndpoint): AuthConfig | undefined {
  return vendor.kind === 'fhir' || vendor.kind === 'http' ? vendor.auth : undefined;
}
