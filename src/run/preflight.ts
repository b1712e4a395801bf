// What a run needs from the local machine, checked before the first request: every SMART Backend Services
// key the plan names can be read and fits its algorithm, and the CHPL export file (if any) is there. A key that
// cannot sign would otherwise surface only as a connection error after minutes of probing, and the fix is on
// this machine, not at the EHR.
import { vendorAuth } from '../vendor/endpoint.js';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { displayPath } from '../contracts/read.js';
import { pointer } from '../contracts/wording.js';
import { InputError, type InputProblem } from '../errors.js';
import { loadSigningKey } from '../http/auth/signing-key.js';
import { ProbeError } from '../http/types.js';
import type { AuthConfig, LoadedPlan } from '../model/plan.js';

export async function keyFileProblems(loaded: LoadedPlan, cwd: string): Promise<InputProblem[]> {
  const file = displayPath(loaded.file, cwd);
  const problems: InputProblem[] = [];
  const sides: Array<['ehr' | 'vendor', (i: number) => AuthConfig]> = [
    ['ehr', (i) => loaded.plan.connections[i]!.ehr.auth],
    ['vendor', (i) => vendorAuth(loaded.plan.connections[i]!.vendor) ?? { type: 'none' }],
  ];
  for (let i = 0; i < loaded.plan.connections.length; i++) {
    for (const [side, authOf] of sides) {
      const auth = authOf(i);
      if (auth.type !== 'backend-services') continue;
      try {
        await loadSigningKey(auth.privateKeyFile, dirname(loaded.file), auth.alg, auth.kid);
      } catch (error) {
        if (!(error instanceof ProbeError)) throw error;
        problems.push({
          file,
          field: pointer('connections', i, side, 'auth', 'privateKeyFile'),
          message: `${error.message}: put the ${auth.alg} private key registered for client ${auth.clientId} there, or correct the path (relative to the plan)`,
        });
      }
    }
  }
  return problems;
}

/** The CHPL export the plan names must be a readable file (its content is checked when it is read). */
async function chplExportProblems(loaded: LoadedPlan, cwd: string): Promise<InputProblem[]> {
  const exportFile = loaded.plan.chpl?.exportFile;
  if (exportFile === undefined) return [];
  try {
    if (!(await stat(exportFile)).isFile()) throw Object.assign(new Error('a folder'), { code: 'EISDIR' });
    await access(exportFile, constants.R_OK);
    return [];
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    return [{ file: displayPath(loaded.file, cwd), field: '/chpl/exportFile', message: `cannot read ${exportFile} (${code}): give the path of a CHPL export, relative to the plan` }];
  }
}

/** Exit 2 before any probe when a key file or the CHPL export the plan names cannot be used. */
export async function checkLocalFiles(loaded: LoadedPlan, cwd: string): Promise<void> {
  const problems = [...(await keyFileProblems(loaded, cwd)), ...(await chplExportProblems(loaded, cwd))];
  if (problems.length > 0) throw new InputError(problems);
}
