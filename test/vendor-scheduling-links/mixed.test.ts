// One plan, two kinds: a FHIR-facade vendor on one EHR and a Scheduling Links feed on another, judged in one run,
// each by what its own EHR holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluatePlan, testPlan, worldConnection, type Evaluation } from '../helpers/run.js';
import { startWorld, type World } from '../helpers/world.js';
import { feedConnection, startFeedWorld, type FeedWorld } from './world.js';

describe('a plan mixing a fhir vendor and a scheduling-links feed', () => {
  let facade: World;
  let feed: FeedWorld;
  let run: Evaluation;
  beforeAll(async () => {
    facade = await startWorld({ vendor: { behavior: 'deep' } });
    feed = await startFeedWorld({ view: 'live', maxAgeSeconds: 1, faults: ['booked-as-free'] }).catch(async (error: unknown) => {
      await facade.close();
      throw error;
    });
    const connections = [worldConnection(facade, 'epic'), { ...feedConnection(feed), system: 'athenahealth' }];
    run = await evaluatePlan(testPlan(connections), { checks: ['coverage', 'bidirectional'] });
  }, 90_000);
  afterAll(async () => {
    await feed?.close();
    await facade?.close();
  });

  it('reports each connection with its vendor kind', () => {
    const kinds = Object.fromEntries(run.report.connections.map((c) => [c.system, c.vendorKind]));
    expect(kinds).toEqual({ epic: 'fhir', athenahealth: 'scheduling-links' });
  });

  it('judges each by its own EHR: the facade passes read-through, the feed listing booked slots fails it', () => {
    expect(run.finding('read-through', 'epic').status).toBe('pass');
    expect(run.finding('read-through', 'athenahealth').status).toBe('fail');
    expect(run.finding('connection-live', 'athenahealth').status).toBe('pass');
  });

  it('books through the facade, and skips booking on the feed with the reason (no person to follow its links)', () => {
    expect(run.finding('write-lands', 'epic').status).toBe('pass');
    const skipped = run.finding('write-lands', 'athenahealth');
    expect(skipped.status).toBe('skip');
    expect(skipped.message).toMatch(/person/);
  });
});
