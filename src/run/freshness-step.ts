// The freshness check as the runner drives it: gather per connection, judge all, and the cost panel.
import { freshness } from '../../checks/freshness.js';
import type { CapabilitySummary } from '../capability/reader.js';
import type { FreshnessSettings, Manifest, Plan } from '../model/plan.js';
import type { Finding } from '../model/report.js';
import type { ConnectionContext } from '../context.js';
import { gatherFreshness, type FreshnessEvidence } from '../probes/freshness.js';
import type { LiveEvidence } from '../probes/connection-live.js';
import { roiPanel } from '../roi.js';
import { notLiveReason } from './not-live.js';

export type FreshnessOutcome = FreshnessEvidence;

export const freshnessStep = {
  title: freshness.title,

  gather(ctx: ConnectionContext, settings: FreshnessSettings, capability?: CapabilitySummary): Promise<FreshnessOutcome> {
    return gatherFreshness(ctx, settings, capability);
  },

  judge(
    results: Array<{ ctx: ConnectionContext; live: LiveEvidence; evidence?: FreshnessOutcome; crash?: string }>,
    settings: FreshnessSettings,
    manifest: Manifest | undefined,
    same: (a: string, b: string) => boolean,
  ): Finding[] {
    return freshness.judge(
      {
        connections: results.map((r) => {
          const claimed = manifest?.systems.find((s) => same(s.system, r.ctx.connection.system));
          return {
            key: r.ctx.key,
            system: r.ctx.connection.system,
            probes: r.evidence,
            notLiveReason: r.crash ?? notLiveReason(r.live),
            claim: claimed && (claimed.freshness || claimed.mechanism) ? { freshness: claimed.freshness, mechanism: claimed.mechanism } : undefined,
          };
        }),
      },
      { realTimeSeconds: settings.realTimeSeconds, nearRealTimeSeconds: settings.nearRealTimeSeconds, timeoutSeconds: settings.timeoutSeconds },
    );
  },

  roi(plan: Plan, findings: Finding[]) {
    return roiPanel(plan.buyer.volumes, findings);
  },
};
