// `ehr-check inspect` on a base URL that redirects to another origin: what that origin says is not the EHR's
// statement, so nothing is inspected from it, and the message names the redirect and the fix (exit 3).
// Needs `npx tsc -p .` first.
import { afterEach, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { closeServers, serve, sendJson } from '../coverage/world.js';

afterEach(closeServers);

it('inspect refuses a statement served from another origin, naming the redirect, with exit code 3', async () => {
  const other = await serve((_req, res) => sendJson(res, 200, { resourceType: 'CapabilityStatement', status: 'active', kind: 'instance', fhirVersion: '4.0.1', format: ['json'], rest: [] }));
  const ehr = await serve((req, res, url) => {
    res.writeHead(302, { location: `${other.origin}${url.pathname}${url.search}` });
    res.end();
  });
  const result = await runCli(['inspect', `${ehr.origin}/fhir/R4`, '--token-env', 'EHR_TOKEN'], { env: { EHR_TOKEN: 'inspect-redirect-token-2718' }, timeoutMs: 30_000 });
  expect(result.code).toBe(3);
  expect(result.stderr).toContain(`cannot read ${ehr.origin}/fhir/R4/metadata: EHR base ${ehr.origin}/fhir/R4 redirects GET metadata (302) to ${other.origin}, another origin`);
  expect(result.stderr).toContain(`If the EHR really lives at ${other.origin}, give that address in the plan`);
  expect(result.stdout + result.stderr).not.toContain('inspect-redirect-token-2718');
  expect(other.seen.every((s) => s.authorization === undefined)).toBe(true);
});
