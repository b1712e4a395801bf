// Evidence a real run gathered, kept as JSON so the judge step can be replayed without any server. The systems
// catalog is code, not evidence: it is rebuilt on replay, and the judging moment is kept as an ISO time.
import { readFile } from 'node:fs/promises';
import type { RunEvidence } from '../../checks/evidence.js';
import type { Plan } from '../../src/model/plan.js';
import type { Report } from '../../src/model/report.js';
import { systemCatalog } from '../../src/run/systems.js';

export interface RecordedEvidence {
  /** What normaliseReport needs to place the run's own identities: its id and the connections' origins. */
  runId: string;
  connections: Array<Pick<Report['connections'][number], 'system' | 'ehrBaseUrl' | 'vendorBaseUrl'>>;
  /** The plan's check settings and gate, as the run judged and scored with them. */
  checks: Plan['checks'];
  gate: Plan['gate'];
  evidence: Omit<RunEvidence, 'catalog' | 'now'> & { now: string };
}

export function recordedEvidence(report: Report, plan: Plan, evidence: RunEvidence): RecordedEvidence {
  const { catalog: _code, now, ...data } = evidence;
  return {
    runId: report.runId,
    connections: report.connections.map(({ system, ehrBaseUrl, vendorBaseUrl }) => ({ system, ehrBaseUrl, vendorBaseUrl })),
    checks: plan.checks,
    gate: plan.gate,
    evidence: { ...data, now: now.toISOString() },
  };
}

export async function replayEvidence(file: string): Promise<{ recorded: RecordedEvidence; evidence: RunEvidence }> {
  const recorded = JSON.parse(await readFile(file, 'utf8')) as RecordedEvidence;
  return { recorded, evidence: { ...recorded.evidence, now: new Date(recorded.evidence.now), catalog: await systemCatalog() } };
}
