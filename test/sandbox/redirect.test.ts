// The sandbox option for an EHR base that sends its clients elsewhere: every FHIR request gets a 302 to the same
// path under the other base; the token endpoint and the staff console are still served where they are.
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../fixtures/sandbox/index.js';

const running: RunningSandbox[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

const manual = (url: string, init: RequestInit = {}) => fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(10_000), ...init });

describe('sandbox option: redirect', () => {
  it('answers reads and writes under the FHIR base with a 302 to the other base, keeping path and query', async () => {
    const sandbox = await startSandbox({ flavor: 'epic', redirect: { to: 'http://127.0.0.1:9/other/R4/' } });
    running.push(sandbox);
    for (const [method, path] of [['GET', 'metadata'], ['GET', 'Slot?status=free&_count=2'], ['POST', 'Appointment'], ['GET', '.well-known/smart-configuration']] as const) {
      const res = await manual(`${sandbox.fhirBaseUrl}/${path}`, { method, ...(method === 'POST' && { body: '{}', headers: { 'content-type': 'application/fhir+json' } }) });
      expect({ path, status: res.status, location: res.headers.get('location') }).toEqual({ path, status: 302, location: `http://127.0.0.1:9/other/R4/${path}` });
    }
  });

  it('keeps the token endpoint and the staff console, and without the option serves the FHIR base itself', async () => {
    const redirecting = await startSandbox({ redirect: { to: 'http://127.0.0.1:9/fhir' } });
    const plain = await startSandbox();
    running.push(redirecting, plain);
    expect((await manual(redirecting.tokenUrl, { method: 'GET' })).status).toBe(405);
    expect((await manual(`${redirecting.staffUrl}/slots`)).status).toBe(200);
    expect((await manual(`${redirecting.origin}/nothing-here`)).status).toBe(404);
    expect((await manual(`${plain.fhirBaseUrl}/metadata`)).status).toBe(200);
  });
});
