// `ehr-check inspect` tries the searches a run would need that the statement does not declare, read-only, and
// plans from what the EHR was seen to honour: an under-declaring sandbox is judged by API, a server that drops a
// parameter has it shown ignored, and --statement-only reads the statement alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../fixtures/sandbox/index.js';
import { runCli } from '../helpers/cli.js';

let sparse: RunningSandbox;
let dropping: RunningSandbox;

beforeAll(async () => {
  sparse = await startSandbox({ sparseStatement: true });
  dropping = await startSandbox({ sparseStatement: true, ignoreSearchParams: ['status'] });
}, 30_000);
afterAll(async () => {
  await Promise.allSettled([sparse?.close(), dropping?.close()]);
});

const inspect = async (url: string, ...more: string[]) => {
  const { code, stdout, stderr } = await runCli(['inspect', url, '--json', ...more]);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return JSON.parse(stdout);
};

const stateOf = (out: { verification?: Array<{ type: string; name: string; state: string }> }, type: string, name: string) =>
  out.verification?.find((c) => c.type === type && c.name === name)?.state;

describe('inspect: behaviour decides, the statement hints', () => {
  it('an under-declaring statement: the needed searches are tried, found honoured, and the findings are by API', async () => {
    const out = await inspect(sparse.fhirBaseUrl);
    for (const name of ['schedule', 'status', 'start']) expect(stateOf(out, 'Slot', name), name).toBe('honoured');
    expect(stateOf(out, 'Appointment', 'identifier')).toBe('declared');
    expect(stateOf(out, 'Appointment', 'slot')).toBe('honoured');
    expect(out.verification.find((c: { name: string }) => c.name === 'schedule').says).toMatch(/^undeclared, answered correctly/);
    expect(out.findings['read-through']).toMatchObject({ method: 'api', via: ['Slot:search-type(schedule,status,start)'] });
    for (const id of ['write-lands', 'write-idempotent', 'conflict-refused', 'ehr-to-vendor-lag', 'vendor-to-ehr-lag', 'double-booking-race']) {
      expect(out.findings[id].method, id).toBe('api');
    }
  }, 30_000);

  it('--statement-only: the same EHR read from its statement alone needs a person to read its slots', async () => {
    const out = await inspect(sparse.fhirBaseUrl, '--statement-only');
    expect(out.verification).toBeUndefined();
    expect(out.findings['read-through'].method).toBe('operator');
  }, 30_000);

  it('a server that drops status: shown ignored, and free slots are picked by their status', async () => {
    const out = await inspect(dropping.fhirBaseUrl);
    expect(stateOf(out, 'Slot', 'status')).toBe('ignored');
    expect(stateOf(out, 'Slot', 'schedule')).toBe('honoured');
    expect(out.findings['read-through'].via).toEqual(['Slot:search-type(schedule,start)']);
    expect(out.findings['read-through'].reason).toMatch(/free ones picked by each Slot's status/);
    const table = await runCli(['inspect', dropping.fhirBaseUrl], { env: { COLUMNS: '140' } });
    expect(table.stdout).toContain('Undeclared, tried');
    expect(table.stdout).toMatch(/Slot search by status: undeclared, ignored by the server/);
  }, 30_000);
});
