// The run's last step: the judged checks scored and gated, the cleanup's account, and the report around them.
// Pure: it reads what the earlier steps produced and the clock's two timestamps it is given.
import { vendorAddress } from '../vendor/endpoint.js';
import { coverageMatrix, type CoverageInput } from '../../checks/coverage.js';
import { CHECK_SETTINGS_DEFAULTS } from '../../checks/catalog.js';
import type { RunEvidence } from '../../checks/evidence.js';
import type { LoadedPlan } from '../model/plan.js';
import { REPORT_SCHEMA_VERSION, type Report } from '../model/report.js';
import type { ConnectionContext } from '../context.js';
import { roiPanel } from '../roi.js';
import type { CleanupResult } from '../safety/cleanup.js';
import { resolveGateSpec, scoreReport } from '../scoring.js';
import { confidenceOf, verdictOf } from '../verdict.js';
import type { JudgedRun } from './judge.js';
import type { RunOptions } from './runner.js';

export interface AssembleInput {
  loaded: LoadedPlan;
  options: Pick<RunOptions, 'runId' | 'toolVersion' | 'gate'>;
  contexts: readonly ConnectionContext[];
  evidence: RunEvidence;
  judged: JudgedRun;
  cleanup: CleanupResult;
  startedAt: string;
  finishedAt: string;
  interrupted: boolean;
}

export function assembleReport(a: AssembleInput): Report {
  const { plan } = a.loaded;
  const weights = Object.fromEntries(a.judged.checks.map((c) => [c.id, (plan.checks[c.id] ?? CHECK_SETTINGS_DEFAULTS[c.id]).weight]));
  const scored = scoreReport(a.judged.checks, weights, resolveGateSpec(plan.gate, { failUnder: a.options.gate.failUnder, require: a.options.gate.require }));
  const coverageInput = a.judged.inputs.get('coverage') as CoverageInput;
  const matrix = coverageMatrix(coverageInput);
  const live = new Map(a.evidence.connections.map((c) => [c.key, c.live]));
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'ehr-check', version: a.options.toolVersion },
    runId: a.options.runId,
    startedAt: a.startedAt,
    finishedAt: a.finishedAt,
    vendor: { name: plan.vendor.name },
    buyer: { name: plan.buyer.name },
    score: scored.score,
    grade: scored.grade,
    gate: scored.gate,
    checks: scored.checks,
    connections: a.contexts.map((ctx) => {
      const l = live.get(ctx.key)!;
      return {
        system: ctx.key,
        ehrBaseUrl: ctx.connection.ehr.fhirBaseUrl,
        vendorKind: ctx.connection.vendor.kind,
        vendorBaseUrl: vendorAddress(ctx.connection.vendor),
        live: l.live,
        schedule: ctx.schedule ?? null,
        sandbox: Boolean(ctx.connection.ehr.sandbox),
        writesAllowed: ctx.writesAllowed,
        fhirVersion: l.ehrMetadata.fhirVersion ?? null,
        software: l.ehrMetadata.software ?? null,
      };
    }),
    cleanup: a.cleanup.summary,
    coverage: { matrix, claimedSystemCount: coverageInput.claimedSystemCount, verifiedCount: matrix.filter((r) => r.write === 'pass' || r.write === 'warn').length },
    roi: roiPanel(plan.buyer.volumes, a.judged.checks.flatMap((c) => c.findings)),
    writes: a.cleanup.writes,
  };
  if (a.interrupted) report.partial = true;
  report.verdict = verdictOf(report);
  report.confidence = confidenceOf(report.checks);
  return report;
}
