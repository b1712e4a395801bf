// One evaluation of one vendor: probe every connection, judge, score, clean up, and assemble the report.
// Probes gather evidence; checks judge it; nothing here decides a verdict itself.
import { bidirectional, type BidirectionalInput } from '../../checks/bidirectional.js';
import { coverage, coverageMatrix, type CoverageConnection } from '../../checks/coverage.js';
import { planFindingMethods } from '../capability/methods.js';
import { capabilityBasis, verifiedCapability } from '../capability/verified.js';
import { checkClaims, claimsFor } from '../certification.js';
import type { LoadedPlan } from '../model/plan.js';
import type { CheckId, CoverageRow, Finding, FindingId, Report, Status } from '../model/report.js';
import { REPORT_SCHEMA_VERSION } from '../model/report.js';
import { gatherBidirectional, type BidirectionalEvidence } from '../probes/bidirectional.js';
import { gatherConnectionLive, type LiveEvidence } from '../probes/connection-live.js';
import type { ConnectionContext } from '../context.js';
import { verifyUndeclared } from '../ehr/verify-capability.js';
import { cleanupAll } from '../ehr/cleanup.js';
import type { Operator } from '../operator/types.js';
import type { Ledger } from '../safety/types.js';
import { resolveGateSpec, scoreReport, type JudgedCheck } from '../scoring.js';
import { confidenceOf, verdictOf } from '../verdict.js';
import { buildContexts, discoverSchedule } from './connections.js';
import { notLiveReason } from './not-live.js';
import { freshnessStep, type FreshnessOutcome } from './freshness-step.js';
import { certifyEhrSystems, ehrCertifiedColumn } from './ehr-certification.js';
import { estimateRun, formatDuration } from './duration.js';
import { PROBE_POOL, probeHost, runPool } from './pool.js';
import { systemCatalog } from './systems.js';

export interface RunOptions {
  loaded: LoadedPlan;
  runId: string;
  ledger: Ledger;
  /** Only these checks (`--check`); all three when absent. */
  checks?: CheckId[];
  trials?: number;
  allowWrites: boolean;
  gate: { failUnder?: number; require?: CheckId[] };
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  progress(message: string): void;
  /** Told once, before any probe, how long the run may take at worst (ms), so progress can count down to it. */
  expectDuration?(worstCaseMs: number): void;
  toolVersion: string;
  /** Overrides for the clients (timeouts in tests). */
  client?: Parameters<typeof buildContexts>[0]['client'];
  /** Who makes the EHR-side changes an EHR's API cannot (a terminal, a script); nobody when absent. */
  operator?: Operator;
}

interface ConnectionResult {
  ctx: ConnectionContext;
  live: LiveEvidence;
  bidirectional?: BidirectionalEvidence;
  freshness?: FreshnessOutcome;
  /** A probe that threw (a bug, not a finding): what it left unprobed is `error`, and cleanup still runs. */
  crash?: string;
}

export async function evaluate(options: RunOptions): Promise<Report> {
  const startedAt = new Date().toISOString();
  const { plan, manifest, registry } = options.loaded;
  const wanted = (id: CheckId) => !options.checks?.length || options.checks.includes(id);
  const catalog = await systemCatalog();
  const contexts = buildContexts({ ...options });
  const freshnessSettings = { ...plan.checks.freshness, trials: options.trials ?? plan.checks.freshness.trials };
  const queueWaitMs = Math.min(freshnessSettings.timeoutSeconds, 60) * 1000;

  // The worst case, said up front: every trial waiting out its timeout, in as many rounds as the pool needs.
  const estimate = estimateRun({
    contexts,
    bidirectional: wanted('bidirectional') || wanted('coverage'),
    freshness: wanted('freshness'),
    settings: freshnessSettings,
    queueWaitMs,
    pool: PROBE_POOL,
  });
  options.progress(
    `expected to take at most ${formatDuration(estimate.worstCaseMs)} (${contexts.length} connection(s)` +
      `${wanted('freshness') ? `, ${freshnessSettings.trials} freshness trial(s) each way at once, ${freshnessSettings.timeoutSeconds} s timeout` : ''})`,
  );
  options.expectDuration?.(estimate.worstCaseMs);

  // CHPL first: an unreadable export file is bad input, and must stop the run before anything is written.
  if (wanted('coverage') && plan.chpl) options.progress('looking up EHR certification in CHPL');
  const ehrCertification = wanted('coverage') ? await certifyEhrSystems(contexts.map((c) => catalog.canonical(c.connection.system)), plan.chpl, { env: options.env }) : {};

  const pool = { ...PROBE_POOL, onSettled: (done: number, total: number) => options.progress(`${done}/${total} connections probed`) };
  const results = await runPool(contexts, (ctx) => probeHost(ctx.connection.ehr.fhirBaseUrl), pool, async (ctx): Promise<ConnectionResult> => {
    ctx.progress('checking the EHR and vendor endpoints');
    if (!ctx.schedule) ctx.schedule = await discoverSchedule(ctx);
    const live = await gatherConnectionLive(ctx);
    const result: ConnectionResult = { ctx, live };
    if (!live.live) return result;
    if (options.signal.aborted) return { ...result, crash: 'the run was interrupted before these probes' };
    try {
      // What the EHR declares decides how each finding is probed: by API, by a person at the EHR, or not at all.
      ctx.capability = live.capability;
      if (live.capability?.ok) {
        // Behaviour decides, the statement hints: undeclared searches the probes may need are tried once.
        ctx.verification = await verifyUndeclared(ctx.ehr, live.capability, { schedule: ctx.schedule, nonce: ctx.runId });
        ctx.capability = verifiedCapability(live.capability, ctx.verification);
        ctx.methods = planFindingMethods(ctx.capability, ctx.verification);
      }
      if (wanted('bidirectional') || wanted('coverage')) {
        ctx.progress('bidirectional probes');
        result.bidirectional = await gatherBidirectional(ctx, { queueWaitMs });
      }
      if (wanted('freshness') && options.signal.aborted) result.crash = 'the run was interrupted before these probes';
      else if (wanted('freshness')) {
        ctx.progress(`freshness: ${freshnessSettings.trials} trial(s) each way, all at once`);
        result.freshness = await freshnessStep.gather(ctx, freshnessSettings, live.capability);
      }
    } catch (error) {
      // Probes turn every expected failure into evidence; reaching here is a bug. Keep the run (and its
      // cleanup) going, and say so on the findings left unprobed.
      result.crash = `the probes stopped on an internal error (${error instanceof Error ? error.message : String(error)})`;
    }
    return result;
  });

  // Judge.
  const buyerSystems = new Set(plan.buyer.sites.map((s) => catalog.canonical(s.system)));
  const vendorName = manifest?.vendor ?? plan.vendor.name;
  const now = new Date();
  const certInput: BidirectionalInput['connections'] = results.map((r) => {
    const claimed = claimsFor(manifest, r.ctx.connection.system, catalog.same);
    return {
      key: r.ctx.key,
      system: r.ctx.connection.system,
      buyerRuns: buyerSystems.has(catalog.canonical(r.ctx.connection.system)),
      probes: r.bidirectional,
      notLiveReason: r.crash ?? notLiveReason(r.live),
      certification: { claimed: Boolean(claimed), claims: checkClaims(claimed, vendorName, r.ctx.connection.system, registry, now, catalog.same) },
    };
  });
  const bidiFindings = withMethods(bidirectional.judge({ connections: certInput }), results);
  const statusOf = (key: string, id: string): Status | undefined => bidiFindings.find((f) => f.connection === key && f.id === id)?.status;

  const claimed = catalog.resolveClaims(manifest);
  const certified: Record<string, CoverageRow['certified']> = {};
  for (const c of certInput) {
    const states = c.certification.claims.map((x) => x.state);
    certified[c.system] = states.length === 0 ? 'none' : states.includes('lapsed') ? 'lapsed' : states.every((s) => s === 'verified') ? 'verified' : 'claimed';
  }
  const coverageInput = {
    sites: plan.buyer.sites.map((s) => ({ name: s.name, system: catalog.canonical(s.system) })),
    connections: results.map((r): CoverageConnection => ({
      key: r.ctx.key,
      system: catalog.canonical(r.ctx.connection.system),
      live: r.live,
      readThrough: statusOf(r.ctx.key, 'read-through'),
      writeLands: statusOf(r.ctx.key, 'write-lands'),
      ehrCertification: ehrCertification[catalog.canonical(r.ctx.connection.system)],
    })),
    claimedSystems: claimed.systems,
    claimedSystemCount: manifest?.claimedSystemCount ?? (manifest ? manifest.systems.length : null),
    unknownClaimedNames: claimed.unknown,
    certified,
    ehrCertified: ehrCertifiedColumn(ehrCertification),
    displayName: catalog.displayName,
  };

  const judged: JudgedCheck[] = [];
  if (wanted('bidirectional')) judged.push({ id: 'bidirectional', title: bidirectional.title, findings: bidiFindings });
  if (wanted('coverage')) judged.push({ id: 'coverage', title: coverage.title, findings: coverage.judge(coverageInput) });
  let freshnessFindings: Finding[] = [];
  if (wanted('freshness')) {
    freshnessFindings = withMethods(freshnessStep.judge(results.map((r) => ({ ctx: r.ctx, live: r.live, evidence: r.freshness, crash: r.crash })), freshnessSettings, manifest, catalog.same), results);
    judged.push({ id: 'freshness', title: freshnessStep.title, findings: freshnessFindings });
  }

  // Clean up before the report is final, so it can say what was left behind.
  options.progress('cleaning up what the run wrote');
  const cleanup = await cleanupAll(results.map((r) => r.ctx), options.ledger);

  const weights = { bidirectional: plan.checks.bidirectional.weight, coverage: plan.checks.coverage.weight, freshness: plan.checks.freshness.weight };
  const scored = scoreReport(judged, weights, resolveGateSpec(plan.gate, { failUnder: options.gate.failUnder, require: options.gate.require }));
  await Promise.all(results.flatMap((r) => [r.ctx.ehr.close(), r.ctx.vendor.close()]));

  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'ehr-check', version: options.toolVersion },
    runId: options.runId,
    startedAt,
    finishedAt: new Date().toISOString(),
    vendor: { name: plan.vendor.name },
    buyer: { name: plan.buyer.name },
    score: scored.score,
    grade: scored.grade,
    gate: scored.gate,
    checks: scored.checks,
    connections: results.map((r) => ({
      system: r.ctx.key,
      ehrBaseUrl: r.ctx.connection.ehr.fhirBaseUrl,
      vendorBaseUrl: r.ctx.connection.vendor.baseUrl,
      live: r.live.live,
      schedule: r.ctx.schedule ?? null,
      sandbox: Boolean(r.ctx.connection.ehr.sandbox),
      writesAllowed: r.ctx.writesAllowed,
      fhirVersion: r.live.ehrMetadata.fhirVersion ?? null,
      software: r.live.ehrMetadata.software ?? null,
    })),
    cleanup: cleanup.summary,
    coverage: { matrix: coverageMatrix(coverageInput), claimedSystemCount: coverageInput.claimedSystemCount, verifiedCount: coverageMatrix(coverageInput).filter((r) => r.write === 'pass' || r.write === 'warn').length },
    roi: freshnessStep.roi(plan, judged.flatMap((c) => c.findings)),
    writes: cleanup.writes,
  };
  if (options.signal.aborted) report.partial = true;
  report.verdict = verdictOf(report);
  report.confidence = confidenceOf(report.checks);
  return report;
}

/**
 * How each probed finding was (or could not be) judged on its EHR, in its evidence: the method the EHR's
 * CapabilityStatement allows (`api`, `operator`, `impossible`), why, and the interactions used.
 */
function withMethods(findings: Finding[], results: ConnectionResult[]): Finding[] {
  const contexts = new Map(results.map((r) => [r.ctx.key, r.ctx]));
  return findings.map((f) => {
    const ctx = f.connection === undefined ? undefined : contexts.get(f.connection);
    const planned = ctx?.methods?.[f.id as FindingId];
    if (!planned || !PROBED.has(f.id)) return f;
    // Declared vs verified, where a search the finding needed was not declared and was tried.
    const basis = capabilityBasis(f.id as FindingId, ctx?.verification);
    return { ...f, evidence: { method: planned.method, methodReason: planned.reason, via: planned.via, ...(basis && { capabilityBasis: basis }), ...f.evidence } };
  });
}

const PROBED = new Set(['read-through', 'write-lands', 'write-idempotent', 'conflict-refused', 'patient-matched', 'ehr-to-vendor-lag', 'vendor-to-ehr-lag', 'double-booking-race']);
