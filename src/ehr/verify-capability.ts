// Behaviour decides, the statement hints: each search a probe may need that the EHR's CapabilityStatement does not
// list is tried once, read-only, and kept only when the server is seen to honour it: every result matches the
// filter, or (with no results) the Bundle's self link keeps the parameter. A result that does not match, or a
// self link that drops the parameter, means the server ignored it. Declared searches are trusted (and their
// results filtered on the client all the same). Never throws: what cannot be tried is `refused`, with why.
import { searchable, supports, type CapabilitySummary } from '../capability/reader.js';
import type { CapabilityCheck, CheckState, Verification } from '../capability/verified.js';
import type { FhirClient } from '../http/fhir-client.js';
import { outcomeText } from '../http/fhir-client.js';
import { PATIENT_IDENTIFIER_SYSTEM, BOOKING_IDENTIFIER_SYSTEM } from '../safety/types.js';
import { probeWindow } from './ops.js';
import type { Window } from '../model/fhir.js';
import { PARAM_TESTS, type ParamTest, type SearchedResource } from './search-match.js';

export interface VerifyOptions {
  /** `Schedule/{id}` the run probes; a made-up one when unknown (an honoured filter then answers with nothing). */
  schedule?: string;
  window?: Window;
  /** Makes the looked-for identifiers unique to this try. */
  nonce?: string;
}

type Query = Record<string, string | string[]>;

interface Sample {
  slot?: { id: string; start?: string };
}

interface Need {
  type: string;
  params: string[];
  query(options: Required<Pick<VerifyOptions, 'window' | 'nonce'>> & VerifyOptions, sample: Sample): Query;
  /** Not needed when another way is already there (a Patient found by identifier needs no name search). */
  unneeded?(cap: CapabilitySummary, checks: CapabilityCheck[]): boolean;
}

const PLACEHOLDER = 'ehr-check-verify';

const NEEDS: Need[] = [
  {
    type: 'Slot',
    params: ['schedule', 'status', 'start'],
    query: (o) => ({ schedule: o.schedule ?? `Schedule/${PLACEHOLDER}`, status: 'free', start: [`ge${o.window.start}`, `lt${o.window.end}`], _count: '50' }),
  },
  { type: 'Appointment', params: ['identifier'], query: (o) => ({ identifier: `${BOOKING_IDENTIFIER_SYSTEM}|${PLACEHOLDER}-${o.nonce}` }) },
  {
    type: 'Appointment',
    params: ['patient', 'date'],
    query: (o, sample) => ({ patient: `Patient/${PLACEHOLDER}-${o.nonce}`, date: (sample.slot?.start ?? o.window.start).slice(0, 10) }),
  },
  { type: 'Appointment', params: ['slot'], query: (o, sample) => ({ slot: `Slot/${sample.slot?.id ?? `${PLACEHOLDER}-${o.nonce}`}` }) },
  { type: 'Patient', params: ['identifier'], query: (o) => ({ identifier: `${PATIENT_IDENTIFIER_SYSTEM}|${PLACEHOLDER}-${o.nonce}` }) },
  {
    type: 'Patient',
    params: ['family', 'birthdate'],
    query: () => ({ family: 'Testpatient', birthdate: '1970-01-01' }),
    unneeded: (cap, checks) =>
      searchable(cap, 'Patient', 'identifier') || checks.some((c) => c.type === 'Patient' && c.name === 'identifier' && c.state === 'honoured'),
  },
];

export async function verifyUndeclared(ehr: FhirClient, cap: CapabilitySummary, options: VerifyOptions = {}): Promise<Verification> {
  const settings = { ...options, window: options.window ?? probeWindow(), nonce: options.nonce ?? Math.random().toString(36).slice(2, 10) };
  const checks: CapabilityCheck[] = [];
  const sample: Sample = {};
  const record = (check: CapabilityCheck) => {
    if (!checks.some((c) => c.type === check.type && c.name === check.name && c.kind === check.kind)) checks.push(check);
  };
  for (const need of NEEDS) {
    const undeclared = need.params.filter((p) => !searchable(cap, need.type, p));
    for (const p of need.params) if (!undeclared.includes(p)) record({ type: need.type, name: p, kind: 'search-param', state: 'declared' });
    if (undeclared.length === 0 || need.unneeded?.(cap, checks)) continue;
    const query = need.query(settings, sample);
    const tried = await trySearch(ehr, need.type, query);
    if (!supports(cap, need.type, 'search-type')) {
      record({ type: need.type, name: 'search-type', kind: 'interaction', state: tried.bundle ? 'honoured' : 'refused', ...(tried.problem && { detail: tried.problem }) });
    }
    for (const param of undeclared) record({ type: need.type, name: param, kind: 'search-param', ...judgeParam(need.type, param, query, tried) });
    if (need.type === 'Slot' && tried.bundle) {
      const slot = tried.resources.find((r) => r.id);
      if (slot?.id) sample.slot = { id: slot.id, ...(slot.start && { start: slot.start }) };
    }
  }
  if (sample.slot && cap.resources.Slot && !supports(cap, 'Slot', 'read')) record(await tryRead(ehr, 'Slot', sample.slot.id));
  return { checks };
}

interface Tried {
  bundle: boolean;
  resources: SearchedResource[];
  /** The parameter names the Bundle's self link keeps; undefined when it has none. */
  selfParams?: Set<string>;
  problem?: string;
}

async function trySearch(ehr: FhirClient, type: string, query: Query): Promise<Tried> {
  try {
    const res = await ehr.request({ path: type, query });
    const body = res.body as { resourceType?: string; type?: string; entry?: Array<{ resource?: SearchedResource; search?: { mode?: string } }>; link?: Array<{ relation?: string; url?: string }> } | undefined;
    if (res.status >= 300) return { bundle: false, resources: [], problem: `HTTP ${res.status}${reasonOf(res.body)}` };
    if (body?.resourceType !== 'Bundle' || body.type !== 'searchset') {
      return { bundle: false, resources: [], problem: `answered with ${body?.resourceType ?? 'no FHIR resource'}${body?.type ? ` (${body.type})` : ''}, not a searchset Bundle` };
    }
    const resources = (body.entry ?? []).filter((e) => (e.search?.mode ?? 'match') === 'match' && e.resource?.resourceType === type).map((e) => e.resource!);
    const self = body.link?.find((l) => l.relation === 'self')?.url;
    return { bundle: true, resources, ...(self !== undefined && { selfParams: selfParamsOf(self) }) };
  } catch (error) {
    return { bundle: false, resources: [], problem: error instanceof Error ? error.message : String(error) };
  }
}

function judgeParam(type: string, param: string, query: Query, tried: Tried): { state: CheckState; detail?: string } {
  if (!tried.bundle) return { state: 'refused', ...(tried.problem && { detail: tried.problem }) };
  const test: ParamTest | undefined = PARAM_TESTS[type]?.[param];
  const values = [query[param] ?? []].flat();
  const tested = test !== undefined && tried.resources.length > 0;
  const wrong = tested ? tried.resources.filter((r) => !test(r, values)).length : 0;
  if (wrong > 0) return { state: 'ignored', detail: `${wrong} of ${tried.resources.length} results do not match it` };
  if (tried.selfParams && !tried.selfParams.has(param)) return { state: 'ignored', detail: "the Bundle's self link leaves it out" };
  if (tested) return { state: 'honoured', detail: `all ${tried.resources.length} results match it` };
  if (tried.selfParams?.has(param)) return { state: 'honoured', detail: "no results; the Bundle's self link keeps it" };
  return { state: 'unconfirmed' };
}

async function tryRead(ehr: FhirClient, type: string, id: string): Promise<CapabilityCheck> {
  const check = { type, name: 'read', kind: 'interaction' as const };
  try {
    const res = await ehr.request<{ resourceType?: string; id?: string }>({ path: `${type}/${encodeURIComponent(id)}` });
    if (res.status < 300 && res.body?.resourceType === type && res.body.id === id) return { ...check, state: 'honoured', detail: `${type}/${id} read back` };
    return { ...check, state: 'refused', detail: `HTTP ${res.status}${reasonOf(res.body)}` };
  } catch (error) {
    return { ...check, state: 'refused', detail: error instanceof Error ? error.message : String(error) };
  }
}

function selfParamsOf(url: string): Set<string> {
  try {
    return new Set([...new URL(url, 'http://self.invalid/').searchParams.keys()].map((k) => k.split(':')[0]!));
  } catch {
    return new Set();
  }
}

function reasonOf(body: unknown): string {
  const text = outcomeText(body);
  return text ? `: ${text.slice(0, 160)}` : '';
}
