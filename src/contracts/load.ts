// Loading the input files: read (YAML or JSON), validate against the schema, apply the rules the schema
// cannot say, and hand back typed values. Every problem names its own file, field and what is expected.
import { dirname, resolve } from 'node:path';
import { InputError, type InputProblem } from '../errors.js';
import type { CertificationRegistry, LoadedPlan, Manifest } from '../model/plan.js';
import type { Report } from '../model/report.js';
import { planRuleProblems, withAbsolutePaths, withDefaults, type PlanInput } from './plan-rules.js';
import { displayPath, readDocument } from './read.js';
import type { SchemaName } from './schemas/index.js';
import { secretProblems } from './secrets.js';
import { unknownSystemProblems } from './system-rules.js';
import { schemaProblems } from './validate.js';
import { pointer } from './wording.js';
import { mappingProblems } from '../vendor/http/mapping.js';

export type DocumentKind = SchemaName;

// The report writer's check lives with the validators; offered here too, beside loadReport.
export { validateReport } from './validate.js';

export interface LoadOptions {
  /** Folder that a relative `file` is resolved from (the command's working folder). */
  cwd?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Which of the four files a parsed document looks like, from the keys only that one has. */
export function detectKind(doc: unknown): DocumentKind | undefined {
  if (!isObject(doc)) return undefined;
  if ('schemaVersion' in doc && 'checks' in doc) return 'report';
  if ('connections' in doc || 'buyer' in doc || isObject(doc.vendor)) return 'plan';
  if ('listings' in doc) return 'registry';
  if ('claimedSystemCount' in doc || ('systems' in doc && typeof doc.vendor === 'string')) return 'manifest';
  if ('operations' in doc) return 'vendor-mapping';
  return undefined;
}

function manifestRuleProblems(manifest: Manifest, file: string): InputProblem[] {
  const first = new Map<string, number>();
  const problems = unknownSystemProblems(manifest.systems, file, 'systems');
  manifest.systems.forEach(({ system }, i) => {
    const earlier = first.get(system);
    if (earlier === undefined) first.set(system, i);
    else problems.push({ file, field: pointer('systems', i, 'system'), message: `"${system}" is already claimed at /systems/${earlier}: claim each system once` });
  });
  return problems;
}

function registryRuleProblems(registry: CertificationRegistry, file: string): InputProblem[] {
  const dates = registry.listings.flatMap((listing, i) =>
    listing.validUntil !== undefined && Number.isNaN(Date.parse(listing.validUntil))
      ? [{ file, field: pointer('listings', i, 'validUntil'), message: `expected a real date, got "${listing.validUntil}"` }]
      : [],
  );
  return [...unknownSystemProblems(registry.listings, file, 'listings'), ...dates];
}

function throwIfAny(problems: InputProblem[]): void {
  if (problems.length > 0) throw new InputError(problems);
}

/** The `$schema` an editor needs is no part of the value the program works with. */
function withoutEditorRef<T>(doc: T): T {
  if (!isObject(doc) || !('$schema' in doc)) return doc;
  const { $schema: _ignored, ...rest } = doc;
  return rest as T;
}

/** Schema first; the cross-field rules only run on a document the schema accepted. */
function accept<T>(name: SchemaName, doc: unknown, file: string, rules: (value: T, file: string) => InputProblem[]): T {
  throwIfAny(schemaProblems(name, doc, file));
  const value = withoutEditorRef(doc as T);
  throwIfAny(rules(value, file));
  return value;
}

const acceptManifest = (doc: unknown, file: string) => accept<Manifest>('manifest', doc, file, manifestRuleProblems);
const acceptRegistry = (doc: unknown, file: string) => accept<CertificationRegistry>('registry', doc, file, registryRuleProblems);
const acceptReport = (doc: unknown, file: string) => accept<Report>('report', doc, file, () => []);

function locate(file: string, options: LoadOptions): { path: string; display: string } {
  const cwd = options.cwd ?? process.cwd();
  const path = resolve(cwd, file);
  return { path, display: displayPath(path, cwd) };
}

export async function loadManifest(file: string, options: LoadOptions = {}): Promise<Manifest> {
  const { path, display } = locate(file, options);
  return acceptManifest(await readDocument(path, display), display);
}

export async function loadRegistry(file: string, options: LoadOptions = {}): Promise<CertificationRegistry> {
  const { path, display } = locate(file, options);
  return acceptRegistry(await readDocument(path, display), display);
}

/** What to do with one of the other files where a report was expected: one line, not its schema errors. */
function notAReport(kind: DocumentKind, file: string): string | undefined {
  if (kind === 'plan') return `is a plan, not a report: run \`ehr-check run --plan ${file}\` to produce one`;
  if (kind === 'manifest') return "is a vendor manifest, not a report: a plan names it, and `ehr-check run --plan PLAN` produces a report";
  if (kind === 'registry') return "is a certification registry, not a report: a plan names it, and `ehr-check run --plan PLAN` produces a report";
  return undefined;
}

/** A saved report, as `assert` and `compare` read it: any 1.x report with every stable field. */
export async function loadReport(file: string, options: LoadOptions = {}): Promise<Report> {
  const { path, display } = locate(file, options);
  const doc = await readDocument(path, display);
  const kind = detectKind(doc);
  const other = kind && notAReport(kind, display);
  if (other) throw new InputError([{ file: display, field: '', message: other }]);
  return acceptReport(doc, display);
}

/** Problems become data here, so one run of `validate` shows those of the manifest and the registry both. */
async function gather<T>(load: (() => Promise<T>) | undefined): Promise<{ value?: T; problems: InputProblem[] }> {
  if (!load) return { problems: [] };
  try {
    return { value: await load(), problems: [] };
  } catch (error) {
    if (error instanceof InputError) return { problems: error.problems };
    throw error;
  }
}

async function acceptPlan(doc: unknown, path: string, display: string, cwd: string): Promise<LoadedPlan> {
  const secrets = secretProblems(doc, display);
  const secretFields = new Set(secrets.map((p) => p.field));
  throwIfAny([...secrets, ...schemaProblems('plan', doc, display, (field) => secretFields.has(field))]);
  const input = withoutEditorRef(doc as PlanInput);
  const filled = withDefaults(input);
  throwIfAny(planRuleProblems(input, filled, display));
  const plan = withAbsolutePaths(filled, dirname(path));
  const manifestFile = plan.vendor.manifest;
  const registryFile = plan.certifications;
  const [manifest, registry] = await Promise.all([
    gather(manifestFile === undefined ? undefined : () => loadManifest(manifestFile, { cwd })),
    gather(registryFile === undefined ? undefined : () => loadRegistry(registryFile, { cwd })),
  ]);
  throwIfAny([...manifest.problems, ...registry.problems, ...(await vendorMappingProblems(plan, display, cwd))]);
  const loaded: LoadedPlan = { file: path, plan };
  if (manifest.value) loaded.manifest = manifest.value;
  if (registry.value) loaded.registry = registry.value;
  return loaded;
}

/** Each `http` connection's mapping file: its schema, placeholders and JSONata, and the params it uses. */
async function vendorMappingProblems(plan: LoadedPlan['plan'], display: string, cwd: string): Promise<InputProblem[]> {
  const all = await Promise.all(
    plan.connections.map((c, i) =>
      c.vendor.kind === 'http'
        ? mappingProblems(c.vendor.mapping, displayPath(c.vendor.mapping, cwd), { file: display, field: pointer('connections', i, 'vendor', 'params'), params: c.vendor.params })
        : [],
    ),
  );
  return all.flat();
}

/**
 * Reads a plan (YAML or JSON), validates it, fills defaults, makes its paths absolute against the plan's
 * folder, and loads the vendor manifest and certification registry it names.
 */
export async function loadPlan(file: string, options: LoadOptions = {}): Promise<LoadedPlan> {
  const cwd = options.cwd ?? process.cwd();
  const { path, display } = locate(file, { cwd });
  return acceptPlan(await readDocument(path, display), path, display, cwd);
}

export interface ValidatedFile {
  file: string;
  kind: DocumentKind;
}

/** `ehr-check validate`: detects the kind and validates; a plan brings its manifest and registry along. */
export async function validateFile(file: string, options: LoadOptions = {}): Promise<ValidatedFile[]> {
  const cwd = options.cwd ?? process.cwd();
  const { path, display } = locate(file, { cwd });
  const doc = await readDocument(path, display);
  const kind = detectKind(doc);
  switch (kind) {
    case 'plan': {
      const { plan } = await acceptPlan(doc, path, display, cwd);
      const also: ValidatedFile[] = [];
      if (plan.vendor.manifest) also.push({ file: displayPath(plan.vendor.manifest, cwd), kind: 'manifest' });
      if (plan.certifications) also.push({ file: displayPath(plan.certifications, cwd), kind: 'registry' });
      for (const c of plan.connections) if (c.vendor.kind === 'http') also.push({ file: displayPath(c.vendor.mapping, cwd), kind: 'vendor-mapping' });
      return [{ file, kind }, ...also];
    }
    case 'manifest':
      acceptManifest(doc, display);
      return [{ file, kind }];
    case 'registry':
      acceptRegistry(doc, display);
      return [{ file, kind }];
    case 'report':
      acceptReport(doc, display);
      return [{ file, kind }];
    case 'vendor-mapping':
      throwIfAny(await mappingProblems(path, display));
      return [{ file, kind }];
    default:
      throw new InputError([{
        file: display,
        field: '',
        message:
          'cannot tell what this file is: a plan has buyer and connections, a manifest has vendor and systems, ' +
          'a registry has listings, a report has schemaVersion and checks, a vendor mapping has operations',
      }]);
  }
}
