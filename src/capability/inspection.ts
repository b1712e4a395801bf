// What `ehr-check inspect` shows: the JSON document and the terminal tables. Pure formatting of what the
// command fetched; every string from the server is passed through plainText (it may carry escape sequences).
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import { ALL_FINDING_IDS, FINDINGS_BY_CHECK, type CheckId, type FindingId } from '../model/report.js';
import { plainText } from '../report/escape.js';
import type { FindingMethod } from './methods.js';
import type { CapabilitySummary, SmartSummary } from './reader.js';
import { checkLabel, stateWords, type CapabilityCheck, type Verification } from './verified.js';

export interface SmartLookup extends SmartSummary {
  /** A SMART configuration document was served at all. */
  found: boolean;
}

export interface Inspection {
  /** The FHIR base URL, redacted. */
  url: string;
  capability: CapabilitySummary;
  smart: SmartLookup;
  findings: Record<FindingId, FindingMethod>;
  /** The undeclared searches tried on the EHR (absent with --statement-only or a statement that is not R4). */
  verification?: Verification;
  /** With `--plan`: the connection's vendor, its side of each finding, and both sides together. */
  vendor?: VendorSide;
}

export interface VendorSide {
  /** The connection's report key (`epic`). */
  connection: string;
  kind: string;
  /** Where it is reached, redacted. */
  address: string;
  /** The vendor's side of the findings that ask something of it. */
  findings: Partial<Record<FindingId, FindingMethod>>;
  /** Every finding, both sides together: how a run on this connection would judge it. */
  combined: Record<FindingId, FindingMethod>;
}

export function inspectionJson(i: Inspection) {
  const cap = i.capability;
  return {
    url: i.url,
    fhirVersion: cap.fhirVersion ?? null,
    release: cap.release,
    r4: cap.ok,
    ...(cap.problem !== undefined && { problem: cap.problem }),
    software: cap.software ?? null,
    publisher: cap.publisher ?? null,
    usCoreVersion: cap.usCoreVersion ?? null,
    usCoreDeclared: cap.usCoreDeclared,
    security: cap.security,
    smart: i.smart,
    subscriptions: cap.subscriptions,
    lastUpdatedSearch: cap.lastUpdatedSearch,
    identifierSearch: cap.identifierSearch,
    quirks: cap.quirks,
    ...(i.verification && { verification: i.verification.checks.map((c) => ({ ...c, says: stateWords(c) })) }),
    findings: i.findings,
    ...(i.vendor && { connection: i.vendor.connection, vendor: { kind: i.vendor.kind, address: i.vendor.address, findings: i.vendor.findings }, combined: i.vendor.combined }),
  };
}

const CHECK_OF = Object.fromEntries(
  (Object.entries(FINDINGS_BY_CHECK) as Array<[CheckId, readonly FindingId[]]>).flatMap(([check, ids]) => ids.map((id) => [id, check])),
) as Record<FindingId, CheckId>;

export function renderInspection(i: Inspection, color: boolean, width = 100): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  // Facts hold long URLs: those wrap anywhere; reasons wrap between words.
  const facts = table(c, ['What', 'This EHR'], [24, Math.max(40, width - 28)], false);
  for (const [label, value] of factRows(i, c)) facts.push([label, value]);

  const shown = i.vendor?.combined ?? i.findings;
  const methodWidth = i.vendor ? 21 : 12;
  const findings = table(c, ['Finding', 'Check', 'Method', 'Reason'], [22, 15, methodWidth, Math.max(30, width - 41 - methodWidth)], true);
  for (const id of ALL_FINDING_IDS) {
    const f = shown[id];
    const via = f.via.length > 0 ? c.dim(`\nvia ${f.via.join(', ')}`) : '';
    findings.push([id, CHECK_OF[id], methodCell(f.method, c) + sides(i, id, c), `${plainText(f.reason)}${via}`]);
  }
  const counts = ALL_FINDING_IDS.reduce(
    (n, id) => ({ ...n, [shown[id].method]: n[shown[id].method] + 1 }),
    { api: 0, operator: 0, impossible: 0 } as Record<FindingMethod['method'], number>,
  );
  const summary = `${ALL_FINDING_IDS.length} findings: ${counts.api} by API, ${counts.operator} with an operator, ${counts.impossible} impossible`;
  const vendor = i.vendor ? `\n${c.bold(`Vendor on ${plainText(i.vendor.connection)}: ${plainText(i.vendor.kind)} at ${plainText(i.vendor.address)}`)}\n` : '';
  const heading = i.vendor ? `What can be verified on this connection (the EHR and the ${plainText(i.vendor.kind)} vendor)` : 'What can be verified here';
  return `${c.bold(`EHR ${plainText(i.url)}`)}\n${facts.toString()}\n${vendor}\n${c.bold(heading)}\n${findings.toString()}\n${summary}\n`;
}

/** Under the method, each side's own when the vendor's side differs from the EHR's. */
function sides(i: Inspection, id: FindingId, c: ChalkInstance): string {
  const vendor = i.vendor?.findings[id];
  if (!vendor) return '';
  return c.dim(`\nEHR ${i.findings[id].method}\nvendor ${vendor.method}`);
}

function factRows(i: Inspection, c: ChalkInstance): Array<[string, string]> {
  const cap = i.capability;
  const version = cap.fhirVersion === undefined ? 'not declared' : `${plainText(cap.fhirVersion)} (${cap.release})`;
  const rows: Array<[string, string]> = [
    ['FHIR version', cap.ok ? c.green(version) : c.red(`${version}: ${plainText(cap.problem ?? 'not FHIR R4')}`)],
    ['Software', software(cap)],
    ['US Core', cap.usCoreVersion ? plainText(cap.usCoreVersion) : cap.usCoreDeclared ? 'declared, version not stated' : c.dim('not declared')],
    ['Security', security(cap, c)],
    ['SMART configuration', smart(i.smart, c)],
    ['Subscriptions', subscriptions(cap, c)],
    ['_lastUpdated search', typeList(cap.lastUpdatedSearch, c)],
    ['identifier search', typeList(cap.identifierSearch, c)],
  ];
  const tried = i.verification?.checks.filter((ch) => ch.state !== 'declared') ?? [];
  if (tried.length > 0) rows.push(['Undeclared, tried', tried.map((ch) => triedLine(ch, c)).join('\n')]);
  const quirks = [...cap.quirks, ...i.smart.quirks];
  if (quirks.length > 0) rows.push(['Quirks read around', c.yellow(plainText(quirks.join('; ')))]);
  return rows;
}

function triedLine(check: CapabilityCheck, c: ChalkInstance): string {
  const line = plainText(`${checkLabel(check)}: ${stateWords(check)}`);
  return check.state === 'honoured' ? c.green(line) : check.state === 'ignored' ? c.red(line) : c.yellow(line);
}

function software(cap: CapabilitySummary): string {
  const s = cap.software;
  const name = [s?.name, s?.version].filter(Boolean).join(' ');
  const released = s?.releaseDate ? ` (released ${s.releaseDate.slice(0, 10)})` : '';
  const by = cap.publisher ? `${name ? ' · ' : ''}publisher ${cap.publisher}` : '';
  return plainText(`${name}${released}${by}`) || 'not declared';
}

function security(cap: CapabilitySummary, c: ChalkInstance): string {
  const { smartOnFhir, services, oauth } = cap.security;
  if (!smartOnFhir && services.length === 0) return c.yellow('no security declared (open endpoint?)');
  const lead = smartOnFhir ? 'SMART-on-FHIR' : 'no SMART';
  const others = services.filter((s) => s.toLowerCase() !== 'smart-on-fhir');
  const token = oauth.token ? `\ntoken ${oauth.token}` : '';
  return plainText(`${lead}${others.length ? ` (also ${others.join(', ')})` : ''}${token}`);
}

function smart(s: SmartLookup, c: ChalkInstance): string {
  if (!s.found || !s.ok) return c.yellow(plainText(s.problem ?? 'not found'));
  const methods = s.tokenAuthMethods.length ? s.tokenAuthMethods.join(', ') : 'auth methods not listed';
  const backend = s.backendServices ? c.green('backend services: yes') : c.yellow('backend services: not offered');
  return `${plainText(`token ${s.tokenEndpoint}\n${methods}`)}\n${backend} · ${s.scopes.length} scopes`;
}

function subscriptions(cap: CapabilitySummary, c: ChalkInstance): string {
  const s = cap.subscriptions;
  if (!s.resource && !s.topicBased) return c.dim('none declared');
  const parts = [s.resource ? 'R4 Subscription resource' : 'no Subscription resource'];
  if (s.channelTypes.length) parts.push(`channels ${s.channelTypes.join(', ')}`);
  parts.push(s.topicBased ? `topic-based (${s.topics.length ? s.topics.join(', ') : 'topics not listed'})` : 'no topics');
  return plainText(parts.join(' · '));
}

function typeList(types: string[], c: ChalkInstance): string {
  if (types.length === 0) return c.dim('none');
  const shown = types.slice(0, 8).join(', ');
  return plainText(types.length > 8 ? `${shown}, … (${types.length} types)` : shown);
}

function methodCell(method: FindingMethod['method'], c: ChalkInstance): string {
  return method === 'api' ? c.green(method) : method === 'operator' ? c.yellow(method) : c.red(method);
}

function table(c: ChalkInstance, head: string[], colWidths: number[], wrapOnWordBoundary: boolean): Table.Table {
  return new Table({
    head: head.map((h) => c.bold(h)),
    // No colour from cli-table3 itself: every ANSI code comes from our Chalk instance.
    style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1 },
    colWidths,
    wordWrap: true,
    wrapOnWordBoundary,
  });
}
