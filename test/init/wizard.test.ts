// Drives the real `ehr-check init` prompts with keystrokes, then checks the plan it wrote with `ehr-check validate`.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Io } from '../../src/cli/io.js';
import initCommand from '../../src/commands/init.js';
import { EXIT } from '../../src/errors.js';
import { runCli } from '../helpers/cli.js';
import { REPO } from '../helpers/paths.js';
import { KEY, Terminal } from './terminal.js';

const work = mkdtempSync(join(tmpdir(), 'ehr-check-init-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function terminalIo(cwd: string): Io & { printed: () => string } {
  let out = '';
  return {
    out: (text) => (out += text),
    err: (text) => (out += text),
    env: {},
    stdoutIsTTY: true,
    stdinIsTTY: true,
    cwd,
    printed: () => out,
  };
}

const erase = (text: string) => KEY.backspace.repeat(text.length);

describe('ehr-check init, typed into the real prompts', () => {
  it('asks everything a plan needs, writes valid YAML and prints next steps', async () => {
    const dir = mkdtempSync(join(work, 'full-'));
    const term = new Terminal();
    const io = terminalIo(dir);
    const done = initCommand({ out: 'plans/riverside.yaml' }, io, { input: term.input, output: term.output });

    await term.answer('Buyer (your organisation) name', `Riverside Health${KEY.enter}`);
    await term.answer('Bookings per week', `600${KEY.enter}`);
    await term.answer('Staff minutes to enter one booking by hand', KEY.enter); // default 4
    await term.answer('Staff hourly cost', `38.5${KEY.enter}`);
    await term.answer('Staff minutes to resolve one double-booking', KEY.enter); // default 20

    // Sites: systems are found in the catalog by the names people use, or given as a new slug.
    await term.answer('Site 1: name', `Main Hospital${KEY.enter}`);
    await term.answer('Site 1: EHR it runs', 'Epic');
    await term.type('❯ Epic', KEY.enter);
    await term.answer('Add another site?', `y${KEY.enter}`);
    await term.answer('Site 2: name', `Eastside Clinic${KEY.enter}`);
    await term.answer('Site 2: EHR it runs', 'athenaOne');
    await term.type('❯ athenahealth (athenaOne)', KEY.enter);
    await term.answer('Add another site?', `y${KEY.enter}`);
    await term.answer('Site 3: name', `Lab Annex${KEY.enter}`);
    await term.answer('Site 3: EHR it runs', 'acme-ehr');
    await term.type('❯ "acme-ehr" (a system the catalog does not list)', KEY.enter);
    await term.answer('Add another site?', KEY.enter); // default no

    await term.answer('Vendor name', `Example Voice AI${KEY.enter}`);
    await term.answer("Path of the vendor's manifest", KEY.enter); // default ./vendor-manifest.json
    await term.answer('Certification registry file', `./certifications.json${KEY.enter}`);

    // Connection 1: Epic, SMART Backend Services to the EHR, a bearer token (by name) to the vendor.
    await term.answer('Connection 1: EHR system', KEY.enter); // the first site system not yet connected: epic
    await term.answer('Epic EHR: FHIR R4 base URL', `not a url${KEY.enter}`);
    await term.type('Enter a full URL', `${erase('not a url')}http://127.0.0.1:8101/fhir/R4${KEY.enter}`);
    await term.answer('Is that Epic EHR a sandbox', KEY.enter); // default yes
    await term.answer('How does ehr-check authenticate to the Epic EHR?', KEY.enter); // default backend-services
    await term.answer('SMART client id registered with the Epic EHR', `ehr-check-riverside${KEY.enter}`);
    await term.answer('Path of the private key file', KEY.enter); // default ./keys/epic-ehr.pem
    await term.answer('JWT signing algorithm', `${KEY.down}${KEY.enter}`); // ES384
    await term.answer('Key id (kid)', `riverside-2026${KEY.enter}`);
    await term.answer('How is the vendor reached for Epic?', KEY.enter); // default: its FHIR facade
    await term.answer("Vendor's FHIR sandbox facade for Epic", `http://127.0.0.1:9101/fhir${KEY.enter}`);
    await term.answer('How does ehr-check authenticate to the vendor sandbox?', KEY.enter); // default bearer
    // Pasting the token itself is refused: only the variable's name goes in the plan.
    const token = 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln';
    await term.answer('Environment variable holding the vendor sandbox token', `${token}${KEY.enter}`);
    await term.type('never the secret itself', `${erase(token)}VENDOR_TOKEN${KEY.enter}`);
    await term.answer('Schedule to probe', `Schedule/dr-lee${KEY.enter}`);
    await term.answer('Add another connection?', KEY.enter); // default yes: athenahealth is not connected yet

    // Connection 2: athenahealth, not a sandbox, client credentials to the EHR, the vendor reached by phone.
    await term.answer('Connection 2: EHR system', KEY.enter); // athenahealth
    await term.answer('athenahealth (athenaOne) EHR: FHIR R4 base URL', `http://127.0.0.1:8103/fhir/R4${KEY.enter}`);
    await term.answer('Is that athenahealth (athenaOne) EHR a sandbox', `n${KEY.enter}`);
    await term.answer('How does ehr-check authenticate to the athenahealth', `${KEY.up}${KEY.enter}`); // client-credentials
    await term.answer('OAuth client id', `riverside-athena${KEY.enter}`);
    await term.answer('Environment variable holding the client secret', KEY.enter); // ATHENAHEALTH_EHR_CLIENT_SECRET
    await term.answer('Token endpoint URL', KEY.enter); // discovered
    // The vendor's voice line reaches athenahealth: a person calls it, so the plan names the number, no credentials.
    await term.answer('How is the vendor reached for athenahealth', `${KEY.down}${KEY.down}${KEY.enter}`); // person
    await term.answer('How does a person reach the product?', KEY.enter); // phone
    await term.answer('Its phone number', `call me${KEY.enter}`);
    await term.type('Enter a phone number', `${erase('call me')}+1 555 0100${KEY.enter}`);
    await term.answer('How to name the schedule to it', `Dr. Lee${KEY.enter}`);
    await term.answer('Schedule to probe', KEY.enter);
    await term.answer('Add another connection?', `n${KEY.enter}`);

    await term.answer('Weigh the checks bidirectional 40 / coverage 30 / freshness 30?', `n${KEY.enter}`);
    await term.answer('Weight of bidirectional', `50${KEY.enter}`);
    await term.answer('Weight of coverage', KEY.enter); // 30
    await term.answer('Weight of freshness', `20${KEY.enter}`);
    await term.answer('Freshness: trials', `3${KEY.enter}`);
    await term.answer('Freshness: seconds before an unseen change counts as stale', `30${KEY.enter}`);
    await term.type('Enter a number from 60 to 86400.', `${erase('30')}90${KEY.enter}`);
    await term.answer('Gate: minimum overall score', `75${KEY.enter}`);
    await term.answer('Gate: checks that must pass', `${KEY.down}${KEY.space}${KEY.enter}`); // + coverage

    expect(await done).toBe(EXIT.ok);

    const file = join(dir, 'plans', 'riverside.yaml');
    const yaml = readFileSync(file, 'utf8');
    expect(parse(yaml)).toEqual({
      version: 1,
      buyer: {
        name: 'Riverside Health',
        volumes: { bookingsPerWeek: 600, minutesPerManualEntry: 4, staffHourlyCost: 38.5, minutesPerDoubleBooking: 20 },
        sites: [
          { name: 'Main Hospital', system: 'epic' },
          { name: 'Eastside Clinic', system: 'athenahealth' },
          { name: 'Lab Annex', system: 'acme-ehr', custom: true },
        ],
      },
      vendor: { name: 'Example Voice AI', manifest: './vendor-manifest.json' },
      connections: [
        {
          system: 'epic',
          ehr: {
            fhirBaseUrl: 'http://127.0.0.1:8101/fhir/R4',
            sandbox: true,
            auth: { type: 'backend-services', clientId: 'ehr-check-riverside', privateKeyFile: './keys/epic-ehr.pem', alg: 'ES384', kid: 'riverside-2026' },
          },
          vendor: { kind: 'fhir', baseUrl: 'http://127.0.0.1:9101/fhir', auth: { type: 'bearer', tokenEnv: 'VENDOR_TOKEN' } },
          schedule: 'Schedule/dr-lee',
        },
        {
          system: 'athenahealth',
          ehr: {
            fhirBaseUrl: 'http://127.0.0.1:8103/fhir/R4',
            sandbox: false,
            auth: { type: 'client-credentials', clientId: 'riverside-athena', secretEnv: 'ATHENAHEALTH_EHR_CLIENT_SECRET' },
          },
          vendor: { kind: 'person', channel: { type: 'phone', address: '+1 555 0100' }, practitioner: 'Dr. Lee' },
        },
      ],
      checks: {
        bidirectional: { weight: 50 },
        coverage: { weight: 30 },
        freshness: { weight: 20, trials: 3, timeoutSeconds: 90, realTimeSeconds: 5, nearRealTimeSeconds: 60 },
      },
      gate: { minScore: 75, require: ['bidirectional', 'coverage'] },
      certifications: './certifications.json',
    });
    // The file explains itself and holds no secret: the pasted token went nowhere.
    expect(yaml).toMatch(/^# ehr-check plan, written by `ehr-check init`/);
    expect(yaml).toContain('# write probes run only on sandboxes');
    expect(yaml).not.toContain(token);
    expect(term.screen).not.toContain(`✔ Environment variable holding the vendor sandbox token (its name, not the token) ${token}`);

    const printed = io.printed();
    expect(printed).toContain('Wrote plans/riverside.yaml: 3 sites, 2 connections.');
    expect(printed).toContain('Set the environment variables the plan names: VENDOR_TOKEN, ATHENAHEALTH_EHR_CLIENT_SECRET.');
    expect(printed).toContain('Keep the private key file at ./keys/epic-ehr.pem.');
    expect(printed).toContain('ehr-check validate plans/riverside.yaml');
    expect(printed).toContain('ehr-check run --plan plans/riverside.yaml --allow-writes');

    // With the vendor's manifest and the registry beside it, the plan validates through the CLI.
    copyFileSync(join(REPO, 'examples', 'vendor-manifest.json'), join(dir, 'plans', 'vendor-manifest.json'));
    copyFileSync(join(REPO, 'examples', 'certifications.json'), join(dir, 'plans', 'certifications.json'));
    const validated = await runCli(['validate', 'plans/riverside.yaml'], { cwd: dir });
    expect(validated.stderr).toBe('');
    expect(validated.code).toBe(0);
    expect(validated.stdout).toContain('valid plan');
  }, 60_000);

  it('lets the weekly volumes be skipped, says bounds in words, and does not ask for files already in place', async () => {
    const dir = mkdtempSync(join(work, 'lean-'));
    // The vendor already sent its manifest; it sits where the plan will name it.
    copyFileSync(join(REPO, 'examples', 'vendor-manifest.json'), join(dir, 'vendor-manifest.json'));
    const term = new Terminal();
    const io = terminalIo(dir);
    const done = initCommand({ out: 'plan.yaml' }, io, { input: term.input, output: term.output });

    await term.answer('Buyer (your organisation) name', `Lakeside Clinic${KEY.enter}`);
    await term.answer('Bookings per week made through the vendor (empty: skip the cost panel)', `-5${KEY.enter}`);
    await term.type('Enter a whole number of 0 or more.', `${erase('-5')}${KEY.enter}`); // empty: no volumes
    await term.answer('Site 1: name', `Main${KEY.enter}`);
    await term.answer('Site 1: EHR it runs', 'Epic');
    await term.type('❯ Epic', KEY.enter);
    await term.answer('Add another site?', KEY.enter);
    await term.answer('Vendor name', `Example Voice AI${KEY.enter}`);
    await term.answer("Path of the vendor's manifest", KEY.enter);
    await term.answer('Certification registry file', KEY.enter);
    await term.answer('Connection 1: EHR system', KEY.enter);
    await term.answer('Epic EHR: FHIR R4 base URL', `http://127.0.0.1:8101/fhir/R4${KEY.enter}`);
    await term.answer('Is that Epic EHR a sandbox', KEY.enter);
    await term.answer('How does ehr-check authenticate to the Epic EHR?', `${KEY.up}${KEY.up}${KEY.up}${KEY.enter}`); // none
    await term.answer('How is the vendor reached for Epic?', KEY.enter); // default: its FHIR facade
    await term.answer("Vendor's FHIR sandbox facade for Epic", `http://127.0.0.1:9101/fhir${KEY.enter}`);
    await term.answer('How does ehr-check authenticate to the vendor sandbox?', `${KEY.up}${KEY.enter}`); // none
    await term.answer('Schedule to probe', KEY.enter);
    await term.answer('Add another connection?', KEY.enter);
    await term.answer('Weigh the checks', KEY.enter);
    await term.answer('Freshness: trials', `0${KEY.enter}`);
    await term.type('Enter a whole number from 1 to 100.', `${erase('0')}2${KEY.enter}`);
    await term.answer('Freshness: seconds before an unseen change counts as stale', KEY.enter);
    await term.answer('Gate: minimum overall score', KEY.enter);
    await term.answer('Gate: checks that must pass', KEY.enter);
    expect(await done).toBe(EXIT.ok);

    const plan = parse(readFileSync(join(dir, 'plan.yaml'), 'utf8'));
    expect(plan.buyer).toEqual({ name: 'Lakeside Clinic', sites: [{ name: 'Main', system: 'epic' }] });
    expect(plan.checks.freshness.trials).toBe(2);
    expect(term.screen).not.toContain('Infinity');
    const printed = io.printed();
    expect(printed).not.toContain("Put the vendor's manifest");
    expect(printed).toContain('npx ehr-check validate plan.yaml');
    const validated = await runCli(['validate', 'plan.yaml'], { cwd: dir });
    expect(validated.stderr).toBe('');
    expect(validated.stdout).toContain('plan.yaml: valid plan');
  }, 60_000);

  it('refuses an --out it could never write before asking anything', async () => {
    const dir = mkdtempSync(join(work, 'badout-'));
    writeFileSync(join(dir, 'taken'), 'a file, not a folder\n');
    const term = new Terminal();
    const done = initCommand({ out: 'taken/plan.yaml' }, terminalIo(dir), { input: term.input, output: term.output });
    await expect(done).rejects.toMatchObject({ exitCode: EXIT.usage });
    await expect(done).rejects.toThrow(/--out taken\/plan\.yaml: .*taken is a file, not a folder/);
    expect(term.screen).toBe('');
  });

  it('leaves an existing file alone unless told to overwrite it', async () => {
    const dir = mkdtempSync(join(work, 'exists-'));
    const file = join(dir, 'ehr-check.plan.yaml');
    writeFileSync(file, '# my hand-written plan\n');
    const term = new Terminal();
    const io = terminalIo(dir);
    const done = initCommand({}, io, { input: term.input, output: term.output });
    await term.answer('ehr-check.plan.yaml already exists. Overwrite it?', KEY.enter); // default no
    expect(await done).toBe(EXIT.ok);
    expect(readFileSync(file, 'utf8')).toBe('# my hand-written plan\n');
    expect(io.printed()).toContain('Left ehr-check.plan.yaml as it was; nothing written.');
  });

  it('Ctrl+C stops the wizard with exit 130 and writes nothing', async () => {
    const dir = mkdtempSync(join(work, 'cancel-'));
    const term = new Terminal();
    const done = initCommand({}, terminalIo(dir), { input: term.input, output: term.output });
    await term.answer('Buyer (your organisation) name', `Riverside Health${KEY.enter}`);
    await term.answer('Bookings per week', KEY.ctrlC);
    await expect(done).rejects.toMatchObject({ exitCode: EXIT.interrupted, message: 'init cancelled; nothing written' });
    expect(existsSync(join(dir, 'ehr-check.plan.yaml'))).toBe(false);
  });
});

describe('ehr-check init without a terminal', () => {
  it('refuses with exit 2 and points at the example plan', async () => {
    const dir = mkdtempSync(join(work, 'notty-'));
    const r = await runCli(['init', '--out', 'plan.yaml'], { cwd: dir, input: 'Riverside Health\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('needs a terminal');
    expect(r.stderr).toContain('examples/plan.yaml');
    expect(r.stdout).toBe('');
    expect(existsSync(join(dir, 'plan.yaml'))).toBe(false);
  });
});
