// Behaviour decides, the statement hints: what the EHR was seen to do with the searches its CapabilityStatement
// does not list (src/ehr/verify-capability.ts tries each once, read-only), and the capability the planner
// then works from: the statement plus what was verified. Pure.
import type { FindingId } from '../model/report.js';
import type { FindingMethod } from './methods.js';
import type { CapabilitySummary } from './reader.js';

/**
 * `declared`: listed by the statement, trusted (results are still filtered on the client). The rest were not
 * listed and were tried: `honoured` (every result matched, or the self link kept the parameter), `ignored` (a
 * result did not match, or the self link dropped it), `refused` (an error, or no searchset Bundle), `unconfirmed`
 * (no results and no sign the parameter was used).
 */
export type CheckState = 'declared' | 'honoured' | 'ignored' | 'refused' | 'unconfirmed';

export interface CapabilityCheck {
  type: string;
  /** A search parameter, or an interaction (`search-type`, `read`). */
  name: string;
  kind: 'search-param' | 'interaction';
  state: CheckState;
  /** What was seen, e.g. "3 of 40 results do not match" or "HTTP 400: Unknown search parameter". */
  detail?: string;
}

export interface Verification {
  checks: CapabilityCheck[];
}

const WORDS: Record<CheckState, string> = {
  declared: 'declared',
  honoured: 'undeclared, answered correctly',
  ignored: 'undeclared, ignored by the server',
  refused: 'undeclared, refused by the server',
  unconfirmed: 'undeclared, not confirmed (no results, and no sign the server used it)',
};

export function stateWords(check: Pick<CapabilityCheck, 'state' | 'detail'>): string {
  return check.detail && check.state !== 'declared' && check.state !== 'unconfirmed' ? `${WORDS[check.state]} (${check.detail})` : WORDS[check.state];
}

/** `Slot search by schedule`, `Slot read`. */
export function checkLabel(check: Pick<CapabilityCheck, 'type' | 'name' | 'kind'>): string {
  if (check.kind === 'interaction') return check.name === 'search-type' ? `${check.type} search` : `${check.type} ${check.name}`;
  return `${check.type} search by ${check.name}`;
}

/** The statement plus what behaviour verified: honoured parameters and interactions are added, nothing removed. */
export function verifiedCapability(cap: CapabilitySummary, verification: Verification | undefined): CapabilitySummary {
  const honoured = verification?.checks.filter((c) => c.state === 'honoured') ?? [];
  if (honoured.length === 0) return cap;
  const resources = { ...cap.resources };
  for (const check of honoured) {
    const seen = resources[check.type] ?? { interactions: [], searchParams: [], conditionalCreate: false, conditionalUpdate: false, conditionalDelete: undefined, operations: [] };
    const add = (list: string[], item: string) => (list.includes(item) ? list : [...list, item]);
    resources[check.type] =
      check.kind === 'interaction'
        ? { ...seen, interactions: add(seen.interactions, check.name) }
        : { ...seen, interactions: add(seen.interactions, 'search-type'), searchParams: add(seen.searchParams, check.name) };
  }
  return { ...cap, resources };
}

/** The resource types each probed finding searches, so its evidence shows how each search it needed stands. */
const TYPES_OF: Partial<Record<FindingId, string[]>> = {
  'read-through': ['Slot'],
  'write-lands': ['Appointment'],
  'write-idempotent': ['Appointment'],
  'conflict-refused': ['Slot', 'Appointment'],
  'patient-matched': ['Patient'],
  'ehr-to-vendor-lag': ['Slot', 'Appointment'],
  'vendor-to-ehr-lag': ['Appointment'],
  'double-booking-race': ['Appointment'],
};

/**
 * For a finding's evidence: each search it may need, declared or as tried (`{"Slot search by status": "undeclared,
 * ignored by the server"}`). Undefined when every one was declared: nothing was tried, nothing to show.
 */
export function capabilityBasis(id: FindingId, verification: Verification | undefined): Record<string, string> | undefined {
  const types = TYPES_OF[id] ?? [];
  const checks = verification?.checks.filter((c) => types.includes(c.type)) ?? [];
  if (!checks.some((c) => c.state !== 'declared')) return undefined;
  return Object.fromEntries(checks.map((c) => [checkLabel(c), stateWords(c)]));
}

/** Names, in a method's reason, the undeclared searches its route rests on: "(schedule, start: undeclared, answered correctly)". */
export function noteVerified(plan: Record<FindingId, FindingMethod>, verification: Verification | undefined): Record<FindingId, FindingMethod> {
  const honoured = verification?.checks.filter((c) => c.state === 'honoured') ?? [];
  if (honoured.length === 0) return plan;
  const noted = Object.entries(plan).map(([id, method]) => {
    const used = honoured.filter((c) => method.via.some((via) => usesCheck(via, c)));
    if (used.length === 0) return [id, method];
    const types = [...new Set(used.map((c) => c.type))];
    const names = types.map((type) => `${type} ${used.filter((c) => c.type === type).map((c) => c.name).join(', ')}`).join('; ');
    return [id, { ...method, reason: `${method.reason} (undeclared, answered correctly: ${names})` }];
  });
  return Object.fromEntries(noted) as Record<FindingId, FindingMethod>;
}

/** Whether a `via` entry (`Slot:search-type(schedule,start)`, `Slot:read`) rests on the check. */
function usesCheck(via: string, check: CapabilityCheck): boolean {
  const m = /^([A-Za-z]+):([a-z-]+)(?:\(([^)]*)\))?$/.exec(via);
  if (!m || m[1] !== check.type) return false;
  if (check.kind === 'interaction') return m[2] === check.name;
  return m[2] === 'search-type' && (m[3] ?? '').split(',').includes(check.name);
}
