// An EHR sandbox with a reference Scheduling Links publisher reading it, and the plan connection ehr-check is given
// for them: the EHR's first seeded schedule, the feed by its manifest URL, polled as often as the test allows.
import { join } from 'node:path';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../fixtures/sandbox/index.js';
import { startPublisher, type PublisherOptions, type RunningPublisher } from '../../fixtures/vendors/scheduling-links/publisher.js';
import type { Connection, SchedulingLinksVendorEndpoint } from '../../src/model/plan.js';
import { REAL_WORLD } from '../helpers/paths.js';
import { assemble } from '../helpers/world.js';

export interface FeedWorld {
  sandbox: RunningSandbox;
  publisher: RunningPublisher;
  close(): Promise<void>;
}

export function startFeedWorld(publisher: Omit<PublisherOptions, 'ehrBaseUrl'>, sandbox: SandboxOptions = {}): Promise<FeedWorld> {
  return assemble(async (own) => {
    const ehr = own(await startSandbox({ flavor: 'generic', ...sandbox }));
    return { sandbox: ehr, publisher: own(await startPublisher({ ...publisher, ehrBaseUrl: ehr.fhirBaseUrl })) };
  });
}

/** The connection to the world's EHR and feed; `vendor` overrides the endpoint's fields (minPollSeconds 1 by default). */
export function feedConnection(world: FeedWorld, vendor: Partial<SchedulingLinksVendorEndpoint> = {}): Connection {
  return {
    system: 'generic',
    ehr: { fhirBaseUrl: world.sandbox.fhirBaseUrl, sandbox: true, auth: { type: 'none' } },
    vendor: { kind: 'scheduling-links', manifestUrl: world.publisher.manifestUrl, minPollSeconds: 1, ...vendor },
    schedule: `Schedule/${world.sandbox.seeded.scheduleIds[0]}`,
  };
}

/** Where the specification's example files are kept (test/fixtures/real-world/scheduling). */
export const EXAMPLE_FEED_DIR = join(REAL_WORLD, 'scheduling');
