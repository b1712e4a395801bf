// The run's first step: everything that talks to the EHR and the vendor. What the wanted checks need is gathered
// on every connection (connection-live always; then the probes their `needs` name), and CHPL when asked.
// Nothing here judges: it returns evidence, and the contexts that cleanup and the report still need.
import type { ConnectionEvidence, ProbeEvidence, RunEvidence } from '../../checks/evidence.js';
import { CHECKS, type CheckId } from '../../checks/index.js';
import type { EvidenceNeed } from '../../checks/types.js';
import { planFindingMethods } from '../capability/methods.js';
import { vendorFindingMethods } from '../vendor/methods.js';
import { verifiedCapability } from '../capability/verified.js';
import { gatherConnectionLive } from '../probes/connection-live.js';
import type { ConnectionContext } from '../context.js';
import { verifyUndeclared } from '../ehr/verify-capability.js';
import { discoverSchedule } from './connections.js';
import { estimateRun, formatDuration } from './duration.js';
import { certifyEhrSystems } from './ehr-certification.js';
import { GATHERERS, type GatherSettings } from './gatherers.js';
import { notLiveReason } from './not-live.js';
import { PROBE_POOL, probeHost, runPool } from './pool.js';
import type { RunOptions } from './runner.js';
import type { SystemCatalogView } from './systems.js';

/** What the run gathered, and the contexts the later steps still talk through (cleanup) or describe (the report). */
export interface GatheredRun {
  evidence: RunEvidence;
  contexts: ConnectionContext[];
}

/** The evidence the wanted checks need, with that of the checks whose findings they read. */
export function neededEvidence(wanted: readonly CheckId[]): Set<EvidenceNeed> {
  const checks = new Set<string>();
  const add = (id: string) => {
    const check = CHECKS.find((c) => c.id === id);
    if (!check || checks.has(id)) return;
    checks.add(id);
    for (const used of 'uses' in check ? check.uses : []) add(used);
  };
  wanted.forEach(add);
  return new Set(CHECKS.filter((c) => checks.has(c.id)).flatMap((c): readonly EvidenceNeed[] => c.needs));
}

export async function gatherRun(options: RunOptions, contexts: ConnectionContext[], catalog: SystemCatalogView, settings: GatherSettings, wanted: readonly CheckId[]): Promise<GatheredRun> {
  const { plan, manifest, registry } = options.loaded;
  const needs = neededEvidence(wanted);
  const probes = (Object.keys(GATHERERS) as Array<keyof ProbeEvidence>).filter((kind) => needs.has(kind));
  const fresh = settings.freshness;

  // The worst case, said up front: every trial waiting out its timeout, in as many rounds as the pool needs.
  const estimate = estimateRun({ contexts, bidirectional: needs.has('bidirectional'), freshness: needs.has('freshness'), settings: fresh, queueWaitMs: settings.queueWaitMs, pool: PROBE_POOL, ...(needs.has('volume') && { volume: settings.volume }) });
  options.progress(
    `expected to take at most ${formatDuration(estimate.worstCaseMs)} (${contexts.length} connection(s)` +
      `${needs.has('freshness') ? `, ${fresh.trials} freshness trial(s) each way at once, ${fresh.timeoutSeconds} s timeout` : ''})`,
  );
  options.expectDuration?.(estimate.worstCaseMs);

  // CHPL first: an unreadable export file is bad input, and must stop the run before anything is written.
  const chpl = needs.has('ehrCertification');
  if (chpl && plan.chpl) options.progress('looking up EHR certification in CHPL');
  const ehrCertification = chpl ? await certifyEhrSystems(contexts.map((c) => catalog.canonical(c.connection.system)), plan.chpl, { env: options.env }) : {};

  const pool = { ...PROBE_POOL, onSettled: (done: number, total: number) => options.progress(`${done}/${total} connections probed`) };
  const connections = await runPool(contexts, (ctx) => probeHost(ctx.connection.ehr.fhirBaseUrl), pool, (ctx) => gatherConnection(ctx, options.signal, settings, probes));
  return {
    contexts,
    evidence: { connections, sites: plan.buyer.sites, vendorName: manifest?.vendor ?? plan.vendor.name, manifest, registry, ehrCertification, now: new Date(), catalog },
  };
}

const INTERRUPTED = 'the run was interrupted before these probes';

async function gatherConnection(ctx: ConnectionContext, signal: AbortSignal, settings: GatherSettings, probes: Array<keyof ProbeEvidence>): Promise<ConnectionEvidence> {
  ctx.progress('checking the EHR and vendor endpoints');
  if (!ctx.schedule) ctx.schedule = await discoverSchedule(ctx);
  const live = await gatherConnectionLive(ctx);
  const gathered: Partial<ProbeEvidence> = {};
  const evidence = (crash?: string): ConnectionEvidence => {
    const reason = crash ?? notLiveReason(live);
    return { key: ctx.key, system: ctx.connection.system, live, ...(reason !== undefined && { notProbedReason: reason }), probes: gathered, methods: ctx.methods, vendorMethods: ctx.vendorMethods, vendorKind: ctx.vendor.kind, verification: ctx.verification };
  };
  if (!live.live) return evidence();
  if (signal.aborted) return evidence(INTERRUPTED);
  try {
    // What the EHR declares decides how each finding is probed: by API, by a person at the EHR, or not at all.
    ctx.capability = live.capability;
    if (live.capability?.ok) {
      // Behaviour decides, the statement hints: undeclared searches the probes may need are tried once.
      ctx.verification = await verifyUndeclared(ctx.ehr, live.capability, { schedule: ctx.schedule, nonce: ctx.runId });
      ctx.capability = verifiedCapability(live.capability, ctx.verification);
      ctx.methods = planFindingMethods(ctx.capability, ctx.verification);
    }
    ctx.vendorMethods = vendorFindingMethods(ctx.vendor.can, ctx.vendor.kind);
    for (const kind of probes) {
      if (signal.aborted) return evidence(INTERRUPTED);
      ctx.progress(GATHERERS[kind].progress(settings));
      (gathered as Record<string, unknown>)[kind] = await GATHERERS[kind].gather(ctx, settings, live.capability);
    }
  } catch (error) {
    // Probes turn every expected failure into evidence; reaching here is a bug. Keep the run (and its
    // cleanup) going, and say so on the findings left unprobed.
    return evidence(`the probes stopped on an internal error (${error instanceof Error ? error.message : String(error)})`);
  }
  return evidence();
}
