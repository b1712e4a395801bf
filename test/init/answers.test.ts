// The pure parts of init: what an answer must look like, the system search, and the YAML it writes.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Plan } from '../../src/model/plan.js';
import { namedFiles, nextSteps, renderPlanYaml } from '../../src/init/render.js';
import { envName, envPrefix, httpUrl, keyFilePath, numberRule, optionalHttpUrl, optionalSchedule, required } from '../../src/init/rules.js';
import { systemChoices } from '../../src/init/systems.js';
import { channelAddress } from '../../src/init/vendor.js';

describe('answer rules', () => {
  it.each<[string, (v: string) => true | string, string, boolean]>([
    ['url', httpUrl, 'https://fhir.epic.example/api/FHIR/R4', true],
    ['url', httpUrl, 'http://127.0.0.1:8101/fhir/R4', true],
    ['url', httpUrl, 'fhir.example.org', false],
    ['url', httpUrl, 'ftp://fhir.example.org', false],
    ['url', httpUrl, 'https://user:pass@fhir.example.org', false],
    ['optional url', optionalHttpUrl, '', true],
    ['optional url', optionalHttpUrl, 'nope', false],
    ['env name', envName, 'VENDOR_TOKEN', true],
    ['env name', envName, '_X1', true],
    ['env name', envName, 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln', false],
    ['env name', envName, 'Bearer abc123', false],
    ['env name', envName, '1TOKEN', false],
    ['key file', keyFilePath, './keys/epic.pem', true],
    ['key file', keyFilePath, '-----BEGIN PRIVATE KEY-----', false],
    ['key file', keyFilePath, '', false],
    ['schedule', optionalSchedule, '', true],
    ['schedule', optionalSchedule, 'Schedule/dr-lee', true],
    ['schedule', optionalSchedule, 'dr-lee', false],
    ['required', required('a name'), '  ', false],
    ['required', required('a name'), 'Riverside', true],
    ['phone line', channelAddress('phone'), '+1 555 0100', true],
    ['phone line', channelAddress('sms'), '(555) 010-0100', true],
    ['phone line', channelAddress('phone'), 'call the front desk', false],
    ['chat page', channelAddress('chat'), 'https://vendor.example/chat', true],
    ['chat page', channelAddress('web'), '+1 555 0100', false],
  ])('%s: %j → %s', (_rule, rule, value, ok) => {
    const verdict = rule(value);
    if (ok) expect(verdict).toBe(true);
    else expect(typeof verdict).toBe('string');
  });

  it('suggests variable names from the system id', () => {
    expect(envPrefix('oracle-health')).toBe('ORACLE_HEALTH');
    expect(envPrefix('epic')).toBe('EPIC');
  });
});

describe('system search', () => {
  const first = (term: string) => systemChoices(term)[0]?.value;
  it.each([
    ['Cerner', 'oracle-health'],
    ['eCW', 'eclinicalworks'],
    ['athenaOne', 'athenahealth'],
    ['Allscripts', 'veradigm'],
    ['epic', 'epic'],
    ['medi', 'meditech'],
  ])('%s → %s first', (term, id) => {
    expect(first(term)).toBe(id);
  });

  it('offers a new lower-case slug the catalog lacks, and never an invalid one', () => {
    expect(systemChoices('acme-ehr').map((c) => c.value)).toEqual(['acme-ehr']);
    expect(systemChoices('Acme EHR').map((c) => c.value)).toEqual([]);
    expect(systemChoices('epic').filter((c) => c.value === 'epic')).toHaveLength(1);
  });

  it('lists the whole catalog for an empty search, the previous answer first', () => {
    const all = systemChoices('', 'athenahealth');
    expect(all[0]?.value).toBe('athenahealth');
    expect(all.length).toBeGreaterThanOrEqual(20);
  });
});

const plan: Plan = {
  version: 1,
  buyer: { name: 'Riverside Health', sites: [{ name: 'Main', system: 'epic' }] },
  vendor: { name: 'Example Voice AI', manifest: './vendor-manifest.json' },
  connections: [
    {
      system: 'epic',
      ehr: { fhirBaseUrl: 'http://127.0.0.1:8101/fhir/R4', sandbox: false, auth: { type: 'client-credentials', clientId: 'c', secretEnv: 'EPIC_SECRET' } },
      vendor: { kind: 'fhir', baseUrl: 'http://127.0.0.1:9101/fhir', auth: { type: 'bearer', tokenEnv: 'VENDOR_TOKEN' } },
    },
  ],
  checks: {
    bidirectional: { weight: 40 },
    coverage: { weight: 30 },
    freshness: { weight: 30, trials: 5, timeoutSeconds: 120, realTimeSeconds: 5, nearRealTimeSeconds: 60 },
  },
  gate: { minScore: 70, require: ['bidirectional'] },
};

describe('rendering the plan', () => {
  it('round-trips through YAML, with comments', () => {
    const yaml = renderPlanYaml(plan);
    expect(parse(yaml)).toEqual(plan);
    expect(yaml).toContain('sandbox: false # write probes run only on sandboxes');
    expect(yaml).toContain('- { name: Main, system: epic }');
    expect(yaml).toContain('require: [ bidirectional ]');
  });

  it('next steps name variables, never values, and leave --allow-writes out without a sandbox', () => {
    const steps = nextSteps(plan, 'plan.yaml');
    expect(steps).toContain('Set the environment variables the plan names: EPIC_SECRET, VENDOR_TOKEN.');
    expect(steps.at(-1)).toBe('Run it: npx ehr-check run --plan plan.yaml --html report.html --json report.json');
  });

  it('next steps ask for an http vendor\'s mapping file and say when a person is needed', () => {
    const [first] = plan.connections;
    const mixed: Plan = {
      ...plan,
      connections: [
        { ...first!, vendor: { kind: 'http', baseUrl: 'http://127.0.0.1:9101/api', auth: { type: 'none' }, mapping: './vendor-api.yaml' } },
        { ...first!, system: 'athenahealth', vendor: { kind: 'person', channel: { type: 'phone', address: '+1 555 0100' } } },
      ],
    };
    expect(namedFiles(mixed)).toContain('./vendor-api.yaml');
    const steps = nextSteps(mixed, 'plan.yaml', () => false).join('\n');
    expect(steps).toContain("Describe the vendor's API in ./vendor-api.yaml (see examples/vendor-api.yaml");
    expect(steps).toContain('run in a terminal, or give --operator-script');
    expect(nextSteps(mixed, 'plan.yaml', (f) => f === './vendor-api.yaml').join('\n')).not.toContain('Describe the vendor');
  });

  it('next steps ask only for the files that are not in place yet', () => {
    const named = { ...plan, vendor: { ...plan.vendor, manifest: './vendor-manifest.json' }, certifications: './certs.json' };
    expect(namedFiles(named)).toEqual(['./vendor-manifest.json', './certs.json']);
    const missing = nextSteps(named, 'plan.yaml', () => false);
    expect(missing).toContain("Put the vendor's manifest at ./vendor-manifest.json (see examples/vendor-manifest.json).");
    expect(missing).toContain('Put the certification registry at ./certs.json (see examples/certifications.json).');
    const present = nextSteps(named, 'plan.yaml', (f) => f === './vendor-manifest.json');
    expect(present.join('\n')).not.toMatch(/vendor's manifest/);
    expect(present).toContain('Put the certification registry at ./certs.json (see examples/certifications.json).');
  });
});

describe('number answers', () => {
  it.each<[Parameters<typeof numberRule>[0], number, true | string]>([
    [{ min: 0 }, 3.5, true],
    [{ min: 0 }, -1, 'Enter a number of 0 or more.'],
    [{ min: 0, integer: true }, 2.5, 'Enter a whole number of 0 or more.'],
    [{ min: 1, max: 100, integer: true }, 0, 'Enter a whole number from 1 to 100.'],
    [{ min: 0, max: 100 }, 100, true],
    [{ max: 10 }, 11, 'Enter a number of 10 or less.'],
  ])('%j: %d → %j', (bounds, value, verdict) => {
    expect(numberRule(bounds)(value)).toBe(verdict);
  });
});
