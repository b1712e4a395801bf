// The probes a run can gather on each connection, by the name checks use in their `needs` (checks/evidence.ts
// `ProbeEvidence`). They run in this order, and only those a wanted check needs.
import type { ProbeEvidence } from '../../checks/evidence.js';
import type { CapabilitySummary } from '../capability/reader.js';
import type { FreshnessSettings, VolumeSettings } from '../model/plan.js';
import { gatherBidirectional } from '../probes/bidirectional.js';
import type { ConnectionContext } from '../context.js';
import { gatherFreshness } from '../probes/freshness.js';
import { gatherVolume } from '../probes/volume/index.js';

/** What the gatherers need to know of the run's settings. */
export interface GatherSettings {
  freshness: FreshnessSettings;
  /** How long a 202-queued booking is waited for. */
  queueWaitMs: number;
  /** The volume check's burst (its defaults where the plan does not list it). */
  volume: VolumeSettings;
}

export interface Gatherer<K extends keyof ProbeEvidence> {
  /** The progress line said before it starts. */
  progress(settings: GatherSettings): string;
  gather(ctx: ConnectionContext, settings: GatherSettings, capability: CapabilitySummary | undefined): Promise<ProbeEvidence[K]>;
}

export const GATHERERS: { [K in keyof ProbeEvidence]: Gatherer<K> } = {
  bidirectional: {
    progress: () => 'bidirectional probes',
    gather: (ctx, settings) => gatherBidirectional(ctx, { queueWaitMs: settings.queueWaitMs }),
  },
  freshness: {
    progress: (settings) => `freshness: ${settings.freshness.trials} trial(s) each way, all at once`,
    gather: (ctx, settings, capability) => gatherFreshness(ctx, settings.freshness, capability),
  },
  volume: {
    progress: (settings) => `volume: ${settings.volume.bookings} booking(s), ${settings.volume.concurrency} at once`,
    gather: (ctx, settings) => gatherVolume(ctx, { ...settings.volume, queueWaitMs: settings.queueWaitMs }),
  },
};
