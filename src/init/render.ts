// A plan as YAML a person will keep editing: short comments on the keys that need one, compact one-line maps
// where they read better. Pure: plan in, text out.
import { vendorAuth } from '../vendor/endpoint.js';
import { Document, isMap, isScalar, isSeq, type Pair, type YAMLMap } from 'yaml';
import type { AuthConfig, Plan } from '../model/plan.js';

const HEADER = [
  ' ehr-check plan, written by `ehr-check init`. Edit freely; check it with `npx ehr-check validate <this file>`.',
  ' It holds no secret: only the names of the environment variables and key files that do.',
].join('\n');

// Comments on keys, by path (numbers stand for any list index).
const COMMENTS: Record<string, string> = {
  version: 'plan format version',
  'buyer.volumes': 'prices, in the report, the staff time that failed writes cost each week',
  'buyer.sites': 'coverage is judged against the EHRs these sites run',
  'vendor.manifest': "the vendor's claims, relative to this file",
  connections: 'one per EHR the vendor is connected to',
  'connections.#.ehr': 'the record of truth: every verdict is read from here',
  'connections.#.ehr.sandbox': 'write probes run only on sandboxes, and only with --allow-writes',
  'connections.#.vendor': 'how ehr-check reaches the vendor: kind fhir, http, person or scheduling-links',
  'connections.#.schedule': 'the schedule probed for free slots',
  checks: 'weights are relative; weight 0 runs a check without scoring it',
  'checks.freshness.timeoutSeconds': 'a change not seen by then counts as stale',
  gate: 'exit code 0 when met, 1 when not; --fail-under and --require override',
  certifications: 'the certification listings you trust, relative to this file',
};

export function renderPlanYaml(plan: Plan): string {
  const doc = new Document(plan);
  doc.commentBefore = HEADER;
  if (isMap(doc.contents)) decorate(doc.contents, []);
  return doc.toString({ lineWidth: 0 });
}

function decorate(map: YAMLMap, path: string[]): void {
  for (const pair of map.items as Array<Pair<unknown, unknown>>) {
    if (!isScalar(pair.key)) continue;
    const keyPath = [...path, String(pair.key.value)];
    const comment = COMMENTS[keyPath.join('.')];
    if (comment) {
      if (isScalar(pair.value)) pair.value.comment = ` ${comment}`;
      else pair.key.commentBefore = ` ${comment}`;
    }
    if (path.length === 0 && keyPath[0] !== 'version') pair.key.spaceBefore = true;
    visit(pair.value, keyPath);
  }
}

function visit(node: unknown, path: string[]): void {
  if (isMap(node)) {
    // Small leaf maps (a site, an auth without many fields, a simple check) fit on one line.
    const last = path.at(-1);
    if (last === 'auth' && node.items.length <= 2) node.flow = true;
    if (path.length === 3 && path[0] === 'buyer' && path[1] === 'sites') node.flow = true;
    if (path.length === 2 && path[0] === 'checks' && node.items.length === 1) node.flow = true;
    decorate(node, path);
  } else if (isSeq(node)) {
    if (path.join('.') === 'gate.require') node.flow = true;
    node.items.forEach((item) => visit(item, [...path, '#']));
  }
}

/** The files a plan names, as written in it (relative to the plan): the manifest, the registry, key files. */
export function namedFiles(plan: Plan): string[] {
  const auths: AuthConfig[] = plan.connections.flatMap((c) => [c.ehr.auth, ...(vendorAuth(c.vendor) ? [vendorAuth(c.vendor)!] : [])]);
  const keys = auths.flatMap((a) => (a.type === 'backend-services' ? [a.privateKeyFile] : []));
  return [...new Set([plan.vendor.manifest, plan.certifications, ...keys, ...mappings(plan)].filter((f): f is string => Boolean(f)))];
}

/** The mapping files of the plan's `http` vendors. */
const mappings = (plan: Plan): string[] => [...new Set(plan.connections.flatMap((c) => (c.vendor.kind === 'http' ? [c.vendor.mapping] : [])))];

/**
 * What to do after the file is written: the files to fetch, the variables to set, the commands to run.
 * `exists` says whether a file the plan names is already there (relative to the plan), so a step the person
 * has already done is not asked of them again.
 */
export function nextSteps(plan: Plan, planPath: string, exists: (file: string) => boolean = () => false): string[] {
  const auths: AuthConfig[] = plan.connections.flatMap((c) => [c.ehr.auth, ...(vendorAuth(c.vendor) ? [vendorAuth(c.vendor)!] : [])]);
  const envs = [
    ...new Set(auths.flatMap((a) => (a.type === 'bearer' ? [a.tokenEnv] : a.type === 'client-credentials' ? [a.secretEnv] : []))),
  ];
  const keys = [...new Set(auths.flatMap((a) => (a.type === 'backend-services' ? [a.privateKeyFile] : [])))].filter((k) => !exists(k));
  const steps: string[] = [];
  const manifest = plan.vendor.manifest;
  if (manifest && !exists(manifest)) steps.push(`Put the vendor's manifest at ${manifest} (see examples/vendor-manifest.json).`);
  if (plan.certifications && !exists(plan.certifications)) steps.push(`Put the certification registry at ${plan.certifications} (see examples/certifications.json).`);
  for (const mapping of mappings(plan).filter((m) => !exists(m))) {
    steps.push(`Describe the vendor's API in ${mapping} (see examples/vendor-api.yaml and \`npx ehr-check schema vendor-mapping\`); give its {{params.*}} under the connection's vendor.params.`);
  }
  if (plan.connections.some((c) => c.vendor.kind === 'person' || c.vendor.kind === 'scheduling-links')) {
    steps.push('A person uses the vendor\'s product for some findings: run in a terminal, or give --operator-script (docs/vendor-kinds/person.md).');
  }
  if (envs.length > 0) steps.push(`Set the environment variables the plan names: ${envs.join(', ')}.`);
  if (keys.length > 0) steps.push(`Keep the private key file${keys.length > 1 ? 's' : ''} at ${keys.join(', ')}.`);
  steps.push(`Check the plan: npx ehr-check validate ${planPath}`);
  const writes = plan.connections.some((c) => c.ehr.sandbox) ? ' --allow-writes' : '';
  steps.push(`Run it: npx ehr-check run --plan ${planPath}${writes} --html report.html --json report.json`);
  return steps;
}
