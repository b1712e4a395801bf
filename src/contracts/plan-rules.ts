// What the plan schema cannot say: defaults filled in, rules across fields, and paths made absolute
// against the plan's own folder (never the working folder a command happened to run in).
import { isAbsolute, resolve } from 'node:path';
import type { InputProblem } from '../errors.js';
import { CHECK_IDS, CHECK_SETTINGS_DEFAULTS, OPT_IN_CHECKS, type CheckId, type PlanCheckSettings } from '../../checks/catalog.js';
import type { AuthConfig, Connection, Plan, VendorEndpoint } from '../model/plan.js';
import { LIMIT_DEFAULTS } from './defaults.js';
import { unknownSystemProblems } from './system-rules.js';

/** A plan as the schema accepts it: the checks and the gate may be left out, in whole or in part. */
export type PlanInput = Omit<Plan, 'checks' | 'gate' | 'limits'> & {
  checks?: { [K in CheckId]?: Partial<PlanCheckSettings[K]> };
  gate?: Plan['gate'];
  limits?: Partial<NonNullable<Plan['limits']>>;
};

export function withDefaults(input: PlanInput): Plan {
  const checks = input.checks ?? {};
  return {
    ...input,
    // An opt-in check (volume) is filled in only where the plan lists it: listing it is what turns it on.
    checks: Object.fromEntries(
      CHECK_IDS.flatMap((id) => (OPT_IN_CHECKS.includes(id) && checks[id] === undefined ? [] : [[id, { ...CHECK_SETTINGS_DEFAULTS[id], ...checks[id] }]])),
    ) as Plan['checks'],
    gate: { ...input.gate },
    limits: { ...LIMIT_DEFAULTS, ...input.limits },
  };
}

/** Rules across fields, checked after defaults are filled (a default can be what a setting conflicts with). */
export function planRuleProblems(input: PlanInput, plan: Plan, file: string): InputProblem[] {
  const problems: InputProblem[] = [
    ...unknownSystemProblems(plan.buyer.sites, file, 'buyer', 'sites'),
    ...unknownSystemProblems(plan.connections, file, 'connections'),
  ];
  const given = input.checks?.freshness ?? {};
  const f = plan.checks.freshness;
  const named = (key: 'realTimeSeconds' | 'nearRealTimeSeconds' | 'timeoutSeconds') =>
    `${key} (${f[key]}${given[key] === undefined ? ', the default' : ''})`;
  if (f.realTimeSeconds > f.nearRealTimeSeconds) {
    problems.push({
      file,
      field: '/checks/freshness/realTimeSeconds',
      message: `${named('realTimeSeconds')} must not exceed ${named('nearRealTimeSeconds')}`,
    });
  }
  if (f.nearRealTimeSeconds > f.timeoutSeconds) {
    problems.push({
      file,
      field: '/checks/freshness/nearRealTimeSeconds',
      message: `${named('nearRealTimeSeconds')} must not exceed ${named('timeoutSeconds')}`,
    });
  }
  if (CHECK_IDS.every((id) => (plan.checks[id]?.weight ?? 0) === 0)) {
    problems.push({ file, field: '/checks', message: 'every check weighs 0: at least one weight must be above 0 for a score to exist' });
  }
  return problems;
}

function vendorWithAbsolutePaths(vendor: VendorEndpoint, dir: string): VendorEndpoint {
  if (vendor.kind === 'fhir') return { ...vendor, auth: resolveAuth(vendor.auth, dir) };
  if (vendor.kind === 'http') return { ...vendor, auth: resolveAuth(vendor.auth, dir), mapping: isAbsolute(vendor.mapping) ? vendor.mapping : resolve(dir, vendor.mapping) };
  return { ...vendor };
}

function resolveAuth(auth: AuthConfig, dir: string): AuthConfig {
  return auth.type === 'backend-services' ? { ...auth, privateKeyFile: resolve(dir, auth.privateKeyFile) } : auth;
}

/** The plan with every file path absolute, resolved from `dir` (the plan's folder). */
export function withAbsolutePaths(plan: Plan, dir: string): Plan {
  const at = (path: string | undefined) => (path === undefined || isAbsolute(path) ? path : resolve(dir, path));
  const connections: Connection[] = plan.connections.map((c) => ({
    ...c,
    ehr: { ...c.ehr, auth: resolveAuth(c.ehr.auth, dir) },
    vendor: vendorWithAbsolutePaths(c.vendor, dir),
  }));
  const resolved: Plan = { ...plan, vendor: { ...plan.vendor }, connections };
  if (plan.vendor.manifest !== undefined) resolved.vendor.manifest = at(plan.vendor.manifest);
  if (plan.certifications !== undefined) resolved.certifications = at(plan.certifications);
  if (plan.chpl) resolved.chpl = { ...plan.chpl, ...(plan.chpl.exportFile !== undefined && { exportFile: at(plan.chpl.exportFile) }) };
  return resolved;
}
