// "The EHR shows none free" only when the EHR was read and showed none: otherwise the message says what stopped
// the reading. Two EHRs behind a proxy: one whose Slot search answers an error, one whose schedule is full.
import { afterAll, describe, expect, it } from 'vitest';
import { startWorld } from '../helpers/world.js';
import { evaluateOnce, planFor, type Evaluation, type World } from './world.js';

const opened: Array<{ close(): Promise<void> }> = [];
afterAll(() => Promise.allSettled(opened.map((o) => o.close())));

/** A search of the probed window's free slots (not connection-live's first look at the API). */
const slotSearch = (method: string, path: string, query: URLSearchParams) => method === 'GET' && /\/Slot$/.test(path) && query.has('start');

async function evaluateBehind(answer: (method: string, path: string, body: Buffer, query: URLSearchParams) => { status: number; body?: unknown } | undefined): Promise<Evaluation> {
  const world: World = await startWorld({ vendor: { behavior: 'deep' }, probeProxy: { answer } });
  opened.push(world);
  return evaluateOnce(planFor(world), { checks: ['bidirectional'] });
}

describe('when there is no slot to book', () => {
  it('says what stopped the reading when the EHR’s Slot search fails, never that the EHR shows none free', async () => {
    const outcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception', diagnostics: 'scheduling service unavailable' }] };
    const run = await evaluateBehind((method, path, _body, query) => (slotSearch(method, path, query) ? { status: 500, body: outcome } : undefined));
    expect(run.finding('read-through').status).toBe('error');
    for (const id of ['write-lands', 'conflict-refused'] as const) {
      const f = run.finding(id);
      expect(f.status).toBe('error');
      expect(f.message).toMatch(/^could not be probed: no slot to book: the EHR's free slots could not be read \(.*500.*\)$/);
      expect(f.message).not.toMatch(/shows none free/);
    }
    expect(run.finding('write-idempotent').message).toMatch(/the first booking could not be made/);
  }, 60_000);

  it('says the EHR shows none free when it was read and showed none', async () => {
    const empty = { resourceType: 'Bundle', type: 'searchset', total: 0 };
    const run = await evaluateBehind((method, path, _body, query) => (slotSearch(method, path, query) ? { status: 200, body: empty } : undefined));
    expect(run.finding('read-through')).toMatchObject({ status: 'warn', message: 'the EHR shows no free slot in the probed window, so there was nothing to compare' });
    for (const id of ['write-lands', 'conflict-refused'] as const) {
      expect(run.finding(id)).toMatchObject({ status: 'error', message: 'could not be probed: no free slot in the probed window to book (the EHR was read and shows none free)' });
    }
  }, 60_000);
});
