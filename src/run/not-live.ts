// Why a connection is not live, in one line, for the findings that could not be probed on it: a report of
// one check (`--check bidirectional`) holds no connection-live finding, so the reason must travel with them.
import type { EndpointCheck, LiveEvidence } from '../probes/connection-live.js';

export function notLiveReason(live: LiveEvidence): string | undefined {
  if (live.live) return undefined;
  const parts: Array<[string, EndpointCheck | undefined]> = [
    ['the EHR metadata', live.ehrMetadata],
    ["the EHR's SMART configuration", live.smartConfiguration],
    ['the EHR credentials', live.ehrAuth],
    ["the vendor's Slot search", live.vendorSearch],
  ];
  const failed = parts.find(([, part]) => part && !part.ok && !part.skipped);
  if (!failed) return 'the connection is not live (see connection-live)';
  const [what, part] = failed;
  return `the connection is not live: ${what} failed (${part!.message ?? part!.cause ?? 'no answer'}; see connection-live)`;
}
