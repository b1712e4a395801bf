// Shared defaults of the token-based schemes.
import { ProbeError } from '../types.js';

/**
 * Scope asked for when the plan names none. ehr-check reads Schedule/Slot/Appointment/Patient and writes
 * Appointment/Patient/Slot, so it needs system-level read and write. SMART v1 syntax is used because every
 * server we have seen accepts it, and SMART v2 servers must still honour v1 scopes; a plan can ask for v2
 * scopes (e.g. `system/*.rs system/*.cud`) or narrower ones through `scope`.
 */
export const DEFAULT_SCOPE = 'system/*.read system/*.write';

/** A plan's tokenUrl, absolute or relative to the FHIR base. */
export function resolveTokenUrl(tokenUrl: string, baseUrl: string): string {
  try {
    const url = new URL(tokenUrl, `${baseUrl}/`);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.toString();
  } catch {
    // reported below
  }
  throw new ProbeError('config', `tokenUrl ${tokenUrl} is not an http(s) URL`);
}
