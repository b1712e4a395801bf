// The table of invalid inputs: each row breaks one thing in a copy of the valid fixtures and says which
// file, which field and which words the problem must come back with.
import type { Doc, Workspace } from './workspace.js';

export interface InvalidCase {
  name: string;
  /** Breaks the copies in the workspace; the test then loads plan.yaml (or `load` says otherwise). */
  arrange(ws: Workspace): void;
  /** File the problem must name, relative to the workspace. */
  file: string;
  field: string;
  message: string;
  /** Text that must appear in no message (a secret the input held). */
  secret?: string;
}

type Edit = (doc: Doc) => void;

const plan = (edit: Edit) => (ws: Workspace) => {
  const doc = ws.read('plan.yaml');
  edit(doc);
  ws.write('plan.yaml', doc);
};
const manifest = (edit: Edit) => (ws: Workspace) => {
  const doc = ws.read('vendor-manifest.json');
  edit(doc);
  ws.write('vendor-manifest.json', doc);
};
const registry = (edit: Edit) => (ws: Workspace) => {
  const doc = ws.read('certifications.json');
  edit(doc);
  ws.write('certifications.json', doc);
};
const ehrAuth = (doc: Doc) => doc.connections[0].ehr.auth;
const vendorAuth = (doc: Doc) => doc.connections[0].vendor.auth;

const JWT = 'eyJhbGciOiJSUzM4NCJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

export const PLAN_CASES: InvalidCase[] = [
  { name: 'unknown key typo', arrange: plan((d) => (d.checks.bidirectional = { weigth: 40 })), file: 'plan.yaml', field: '/checks/bidirectional/weigth', message: 'unknown key "weigth" — did you mean "weight"?' },
  { name: 'top-level typo', arrange: plan((d) => { d.certificatons = d.certifications; delete d.certifications; }), file: 'plan.yaml', field: '/certificatons', message: 'did you mean "certifications"?' },
  { name: 'wrong auth type', arrange: plan((d) => (d.connections[0].ehr.auth = { type: 'oauth2', clientId: 'x' })), file: 'plan.yaml', field: '/connections/0/ehr/auth/type', message: 'must be one of: none, bearer, client-credentials, backend-services, got "oauth2"' },
  { name: 'auth without a type', arrange: plan((d) => (d.connections[0].vendor.auth = { tokenEnv: 'VENDOR_TOKEN' })), file: 'plan.yaml', field: '/connections/0/vendor/auth', message: 'needs type: one of none, bearer, client-credentials, backend-services' },
  { name: 'bearer without tokenEnv', arrange: plan((d) => delete vendorAuth(d).tokenEnv), file: 'plan.yaml', field: '/connections/0/vendor/auth', message: 'bearer auth needs tokenEnv' },
  { name: 'backend-services with a bad alg', arrange: plan((d) => (ehrAuth(d).alg = 'RS256')), file: 'plan.yaml', field: '/connections/0/ehr/auth/alg', message: 'must be one of: RS384, ES384, got "RS256"' },
  { name: 'backend-services without privateKeyFile', arrange: plan((d) => delete ehrAuth(d).privateKeyFile), file: 'plan.yaml', field: '/connections/0/ehr/auth', message: 'backend-services auth needs privateKeyFile' },
  { name: 'client-credentials key on a bearer auth', arrange: plan((d) => (vendorAuth(d).clientId = 'abc')), file: 'plan.yaml', field: '/connections/0/vendor/auth/clientId', message: 'unknown key "clientId" (known keys here: type, tokenEnv)' },
  { name: 'a literal token', arrange: plan((d) => (vendorAuth(d).token = 's3cr3t-token-value')), file: 'plan.yaml', field: '/connections/0/vendor/auth/token', message: 'never holds secrets', secret: 's3cr3t-token-value' },
  { name: 'a literal client secret', arrange: plan((d) => (d.connections[1].ehr.auth.clientSecret = 'hunter2-hunter2')), file: 'plan.yaml', field: '/connections/1/ehr/auth/clientSecret', message: 'secretEnv', secret: 'hunter2-hunter2' },
  { name: 'a password anywhere', arrange: plan((d) => (d.buyer.password = 'pa55word-xyz')), file: 'plan.yaml', field: '/buyer/password', message: 'never takes passwords', secret: 'pa55word-xyz' },
  { name: 'a pasted private key', arrange: plan((d) => (ehrAuth(d).privateKeyFile = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----')), file: 'plan.yaml', field: '/connections/0/ehr/auth/privateKeyFile', message: 'looks like a pasted key', secret: 'MIIEvQIBADANBg' },
  { name: 'a token where its variable name goes', arrange: plan((d) => (vendorAuth(d).tokenEnv = JWT)), file: 'plan.yaml', field: '/connections/0/vendor/auth/tokenEnv', message: 'looks like a pasted token', secret: JWT },
  { name: 'a value where a variable name goes', arrange: plan((d) => (vendorAuth(d).tokenEnv = 'abc 123 secret')), file: 'plan.yaml', field: '/connections/0/vendor/auth/tokenEnv', message: 'expected the name of the environment variable that holds the bearer token', secret: 'abc 123 secret' },
  { name: 'a CHPL API key', arrange: plan((d) => (d.chpl.apiKey = 'chpl-key-123')), file: 'plan.yaml', field: '/chpl/apiKey', message: 'apiKeyEnv', secret: 'chpl-key-123' },
  { name: 'credentials in a URL', arrange: plan((d) => (d.connections[0].ehr.fhirBaseUrl = 'http://admin:letmein@127.0.0.1:8101/fhir/R4')), file: 'plan.yaml', field: '/connections/0/ehr/fhirBaseUrl', message: 'must not carry a user name or password', secret: 'letmein' },
  { name: 'a token in a URL query', arrange: plan((d) => (d.connections[0].vendor.baseUrl = 'http://127.0.0.1:9101/fhir?access_token=tok-999')), file: 'plan.yaml', field: '/connections/0/vendor/baseUrl', message: 'must not carry "access_token" in its query', secret: 'tok-999' },
  { name: 'a non-http URL', arrange: plan((d) => (d.connections[0].vendor.baseUrl = 'ftp://127.0.0.1/fhir')), file: 'plan.yaml', field: '/connections/0/vendor/baseUrl', message: 'expected an http or https URL' },
  { name: 'not a URL at all', arrange: plan((d) => (d.connections[0].ehr.fhirBaseUrl = '127.0.0.1:8101/fhir')), file: 'plan.yaml', field: '/connections/0/ehr/fhirBaseUrl', message: 'expected an http or https URL of the EHR\'s FHIR R4 base, got "127.0.0.1:8101/fhir"' },
  { name: 'negative weight', arrange: plan((d) => (d.checks.coverage = { weight: -5 })), file: 'plan.yaml', field: '/checks/coverage/weight', message: 'expected a number >= 0, got -5' },
  { name: 'minScore 150', arrange: plan((d) => (d.gate.minScore = 150)), file: 'plan.yaml', field: '/gate/minScore', message: 'expected a number 0..100, got 150' },
  { name: 'minScore in words', arrange: plan((d) => (d.gate.minScore = 'high')), file: 'plan.yaml', field: '/gate/minScore', message: 'expected a number 0..100, got "high"' },
  { name: 'require of an unknown check', arrange: plan((d) => (d.gate.require = ['bidirectional', 'speed'])), file: 'plan.yaml', field: '/gate/require/1', message: 'must be one of: bidirectional, coverage, freshness, volume, got "speed"' },
  { name: 'require the same check twice', arrange: plan((d) => (d.gate.require = ['coverage', 'coverage'])), file: 'plan.yaml', field: '/gate/require', message: 'lists "coverage" twice' },
  { name: 'missing sites', arrange: plan((d) => delete d.buyer.sites), file: 'plan.yaml', field: '/buyer', message: 'buyer needs sites' },
  { name: 'no sites', arrange: plan((d) => (d.buyer.sites = [])), file: 'plan.yaml', field: '/buyer/sites', message: 'must list at least 1 entry' },
  { name: 'site without a system', arrange: plan((d) => delete d.buyer.sites[1].system), file: 'plan.yaml', field: '/buyer/sites/1', message: 'site needs system' },
  { name: 'bad system slug', arrange: plan((d) => (d.buyer.sites[0].system = 'Epic Systems')), file: 'plan.yaml', field: '/buyer/sites/0/system', message: 'lower-case system id' },
  { name: 'bad connection system slug', arrange: plan((d) => (d.connections[1].system = 'epic_2')), file: 'plan.yaml', field: '/connections/1/system', message: 'lower-case system id such as "epic"' },
  { name: 'site system typo', arrange: plan((d) => (d.buyer.sites[1].system = 'athenahelth')), file: 'plan.yaml', field: '/buyer/sites/1/system', message: 'unknown system "athenahelth" — did you mean "athenahealth"? (or, for a system the catalog does not list, add custom: true beside it)' },
  { name: 'connection system typo', arrange: plan((d) => (d.connections[0].system = 'epik')), file: 'plan.yaml', field: '/connections/0/system', message: 'unknown system "epik" — did you mean "epic"?' },
  { name: 'connection system by another name', arrange: plan((d) => (d.connections[1].system = 'cerner')), file: 'plan.yaml', field: '/connections/1/system', message: '"cerner" is a name for Oracle Health (Cerner): write its system id "oracle-health"' },
  { name: 'site system nothing like a known one', arrange: plan((d) => (d.buyer.sites[0].system = 'zzqq')), file: 'plan.yaml', field: '/buyer/sites/0/system', message: 'unknown system "zzqq": expected one of epic, oracle-health, athenahealth,' },
  { name: 'custom that is not true or false', arrange: plan((d) => Object.assign(d.buyer.sites[0], { system: 'acme-ehr', custom: 'yes' })), file: 'plan.yaml', field: '/buyer/sites/0/custom', message: 'expected true or false, got "yes"' },
  { name: 'custom: false is no custom system', arrange: plan((d) => Object.assign(d.connections[0], { system: 'acme-ehr', custom: false })), file: 'plan.yaml', field: '/connections/0/system', message: 'unknown system "acme-ehr"' },
  { name: 'no connections', arrange: plan((d) => (d.connections = [])), file: 'plan.yaml', field: '/connections', message: 'must list at least 1 entry' },
  { name: 'plan version 2', arrange: plan((d) => (d.version = 2)), file: 'plan.yaml', field: '/version', message: 'expected 1, got 2' },
  { name: 'vendor kind unknown', arrange: plan((d) => (d.connections[0].vendor.kind = 'hl7v2')), file: 'plan.yaml', field: '/connections/0/vendor/kind', message: 'must be one of: fhir, http, person, scheduling-links, got "hl7v2"' },
  { name: 'http vendor without a mapping', arrange: plan((d) => (d.connections[0].vendor.kind = 'http')), file: 'plan.yaml', field: '/connections/0/vendor', message: 'http vendor needs mapping' },
  { name: 'sandbox in words', arrange: plan((d) => (d.connections[0].ehr.sandbox = 'yes')), file: 'plan.yaml', field: '/connections/0/ehr/sandbox', message: 'expected true or false, got "yes"' },
  { name: 'bad schedule reference', arrange: plan((d) => (d.connections[0].schedule = 'dr-lee')), file: 'plan.yaml', field: '/connections/0/schedule', message: 'a Schedule reference such as "Schedule/dr-lee"' },
  { name: 'zero trials', arrange: plan((d) => (d.checks.freshness.trials = 0)), file: 'plan.yaml', field: '/checks/freshness/trials', message: 'expected a whole number 1..100, got 0' },
  { name: 'volumes incomplete', arrange: plan((d) => delete d.buyer.volumes.staffHourlyCost), file: 'plan.yaml', field: '/buyer/volumes', message: 'volumes needs staffHourlyCost' },
  { name: 'real-time above the near-real-time default', arrange: plan((d) => (d.checks.freshness.realTimeSeconds = 90)), file: 'plan.yaml', field: '/checks/freshness/realTimeSeconds', message: 'realTimeSeconds (90) must not exceed nearRealTimeSeconds (60, the default)' },
  { name: 'near-real-time above the timeout', arrange: plan((d) => Object.assign(d.checks.freshness, { nearRealTimeSeconds: 300, timeoutSeconds: 200 })), file: 'plan.yaml', field: '/checks/freshness/nearRealTimeSeconds', message: 'nearRealTimeSeconds (300) must not exceed timeoutSeconds (200)' },
  { name: 'every weight 0', arrange: plan((d) => (d.checks = { bidirectional: { weight: 0 }, coverage: { weight: 0 }, freshness: { weight: 0 } })), file: 'plan.yaml', field: '/checks', message: 'at least one weight must be above 0' },
  { name: 'YAML syntax error', arrange: (ws) => ws.write('plan.yaml', 'version: 1\nbuyer:\n\tname: Riverside\n'), file: 'plan.yaml', field: '', message: 'YAML syntax error at line 3, column 1: Tabs are not allowed' },
  { name: 'YAML duplicate key', arrange: (ws) => ws.write('plan.yaml', 'version: 1\nversion: 1\n'), file: 'plan.yaml', field: '', message: 'YAML syntax error at line 2' },
  { name: 'missing plan file', arrange: (ws) => ws.remove('plan.yaml'), file: 'plan.yaml', field: '', message: 'file not found' },
  { name: 'empty plan file', arrange: (ws) => ws.write('plan.yaml', '# nothing yet\n'), file: 'plan.yaml', field: '', message: 'the file is empty' },
  { name: 'missing manifest file', arrange: plan((d) => (d.vendor.manifest = './claims/manifest.json')), file: 'claims/manifest.json', field: '', message: 'file not found' },
  { name: 'missing registry file', arrange: (ws) => ws.remove('certifications.json'), file: 'certifications.json', field: '', message: 'file not found' },
];

export const MANIFEST_CASES: InvalidCase[] = [
  { name: 'manifest with a bad mechanism', arrange: manifest((d) => (d.systems[0].mechanism = 'webhook')), file: 'vendor-manifest.json', field: '/systems/0/mechanism', message: 'must be one of: fhir-subscription, hl7v2, polling, batch, manual, got "webhook"' },
  { name: 'manifest with a bad freshness', arrange: manifest((d) => (d.systems[1].freshness = 'instant')), file: 'vendor-manifest.json', field: '/systems/1/freshness', message: 'must be one of: real-time, near-real-time, delayed, batch, got "instant"' },
  { name: 'manifest with a bad direction', arrange: manifest((d) => (d.systems[0].directions = ['read', 'sync'])), file: 'vendor-manifest.json', field: '/systems/0/directions/1', message: 'must be one of: read, write, got "sync"' },
  { name: 'manifest key typo', arrange: manifest((d) => { d.systems[1].mechanisms = 'hl7v2'; }), file: 'vendor-manifest.json', field: '/systems/1/mechanisms', message: 'did you mean "mechanism"?' },
  { name: 'manifest claimed count in words', arrange: manifest((d) => (d.claimedSystemCount = 'ninety')), file: 'vendor-manifest.json', field: '/claimedSystemCount', message: 'expected a whole number >= 0, got "ninety"' },
  { name: 'manifest claims a system twice', arrange: manifest((d) => d.systems.push({ system: 'epic' })), file: 'vendor-manifest.json', field: '/systems/3/system', message: '"epic" is already claimed at /systems/0' },
  { name: 'manifest certification without listingId', arrange: manifest((d) => delete d.systems[0].certifications[0].listingId), file: 'vendor-manifest.json', field: '/systems/0/certifications/0', message: 'claimed certification needs listingId' },
  { name: 'manifest system typo', arrange: manifest((d) => (d.systems[1].system = 'eclinicalwork')), file: 'vendor-manifest.json', field: '/systems/1/system', message: 'unknown system "eclinicalwork" — did you mean "eclinicalworks"?' },
  { name: 'manifest version 2', arrange: manifest((d) => (d.version = 2)), file: 'vendor-manifest.json', field: '/version', message: 'expected 1, got 2' },
];

export const REGISTRY_CASES: InvalidCase[] = [
  { name: 'registry with a bad status', arrange: registry((d) => (d.listings[0].status = 'expired')), file: 'certifications.json', field: '/listings/0/status', message: 'must be one of: active, suspended, withdrawn, got "expired"' },
  { name: 'registry with a date in words', arrange: registry((d) => (d.listings[1].validUntil = 'next year')), file: 'certifications.json', field: '/listings/1/validUntil', message: 'expected a date such as "2027-06-30"' },
  { name: 'registry with an impossible date', arrange: registry((d) => (d.listings[0].validUntil = '2027-13-45')), file: 'certifications.json', field: '/listings/0/validUntil', message: 'expected a real date, got "2027-13-45"' },
  { name: 'registry listing without listingId', arrange: registry((d) => delete d.listings[1].listingId), file: 'certifications.json', field: '/listings/1', message: 'listing needs listingId' },
  { name: 'registry system typo', arrange: registry((d) => (d.listings[0].system = 'oracle-heath')), file: 'certifications.json', field: '/listings/0/system', message: 'unknown system "oracle-heath" — did you mean "oracle-health"?' },
  { name: 'registry JSON syntax error', arrange: (ws) => ws.write('certifications.json', '{\n  "version": 1,\n  "listings": [\n    { "program": "x", }\n  ]\n}\n'), file: 'certifications.json', field: '', message: 'JSON syntax error at line 4' },
];
