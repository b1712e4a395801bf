// A hostile or broken REST vendor (an HTML sign-in page, 500s, broken JSON, an answer that never comes, JSON of the
// wrong shape) gives `error` or `fail` findings with the cause, never a crash or an unhandled rejection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../fixtures/sandbox/index.js';
import { loopback, type Handler, type Loopback } from '../helpers/loopback.js';
import { evaluatePlan, RUN_CLIENT, testPlan } from '../helpers/run.js';
import { MappingFiles, restConnection } from './world.js';

const HANDLERS: Record<string, Handler> = {
  'an HTML sign-in page': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!DOCTYPE html><html><body><form>Sign in</form></body></html>');
  },
  '500s': (_req, res) => {
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end('{"error":"internal"}');
  },
  'broken JSON': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"data": [ {"start_time": ');
  },
  'no answer at all': () => new Promise(() => undefined),
};

let sandbox: RunningSandbox;
const servers: Loopback[] = [];
const unhandled: unknown[] = [];
const files = new MappingFiles();
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(async () => {
  sandbox = await startSandbox({ flavor: 'generic' });
  process.on('unhandledRejection', onUnhandled);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await Promise.all(servers.map((s) => s.close()));
  await sandbox?.close();
  files.remove();
});

async function judge(handler: Handler, mapping?: string) {
  const server = await loopback(handler);
  servers.push(server);
  const world = { sandbox, vendor: { baseUrl: server.origin }, scheduleId: sandbox.seeded.scheduleIds[0]! };
  return evaluatePlan(testPlan([restConnection(world as never, 'athenahealth', mapping)], { freshness: { trials: 1, timeoutSeconds: 2, realTimeSeconds: 1, nearRealTimeSeconds: 2 } }), {
    checks: ['bidirectional', 'freshness', 'coverage'],
    client: { ...RUN_CLIENT, totalTimeoutMs: 1_000 },
  });
}

describe('hostile REST vendors', () => {
  it.each(Object.keys(HANDLERS))('%s: the vendor is not live, the cause is named, nothing crashes', async (name) => {
    const run = await judge(HANDLERS[name]!);
    const live = run.finding('connection-live');
    // Reached and wrong: fail; not talked to at all (no answer in time): error.
    expect(live.status).toBe(name === 'no answer at all' ? 'error' : 'fail');
    expect(run.report.connections[0]!.live).toBe(false);
    expect(JSON.stringify(live.evidence)).toMatch(/vendor/);
    // Said in the words of a JSON API, not of FHIR.
    expect(live.message).not.toMatch(/FHIR JSON|fhir\+json/);
    expect(run.findings.every((f) => ['skip', 'error', 'fail', 'warn', 'pass'].includes(f.status))).toBe(true);
    expect(unhandled).toEqual([]);
  }, 60_000);

  it('slots of the wrong shape: the vendor is not live, and the message names the mapping field', async () => {
    const run = await judge((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"data":[{"start_time":"soon"}]}');
    });
    const live = run.finding('connection-live');
    expect(live.status).toBe('fail');
    expect(live.message).toMatch(/slot 0 without a start and end instant.*\/operations\/freeSlots\/answer\/slots/);
    expect(unhandled).toEqual([]);
  }, 60_000);

  it('a booking answered in words the mapping cannot read: write-lands is an error naming the field, nothing crashes', async () => {
    const run = await judge((req, res) => {
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
      res.end(req.method === 'POST' ? '{"data":{"id":"a1","status":"who knows"}}' : '{"data":[]}');
    }, files.variant((doc) => (doc.operations.book.answer.state = 'data.status')));
    const lands = run.finding('write-lands');
    expect(lands.status).toBe("error");
    expect(lands.message).toMatch(/not "pending", "complete" or "failed".*\/operations\/book\/answer\/state/);
    expect(unhandled).toEqual([]);
  }, 60_000);
});
