// Questions about one connection: the EHR it reaches, the vendor (src/init/vendor.ts), and how each authenticates.
// Only the names of environment variables and key files are asked for; a secret's value never is.
import { isCatalogSystem } from '../contracts/system-rules.js';
import type { Connection } from '../model/plan.js';
import { askAuth } from './auth.js';
import type { Ask } from './prompts.js';
import { askVendor } from './vendor.js';
import { envPrefix, httpUrl, optionalSchedule } from './rules.js';

/** Everything about one connection except its system, which the caller has chosen. */
export async function askConnection(ask: Ask, system: string, label: string): Promise<Connection> {
  const stem = envPrefix(system);
  const fhirBaseUrl = await ask.text(`${label} EHR: FHIR R4 base URL`, { validate: httpUrl });
  const sandbox = await ask.confirm(
    `Is that ${label} EHR a sandbox with test data only? (write probes run only against sandboxes)`,
    true,
  );
  const ehrAuth = await askAuth(ask, `${label} EHR`, `${stem}_EHR`, 'backend-services');
  const vendor = await askVendor(ask, label);
  const schedule = await ask.text('Schedule to probe, e.g. Schedule/dr-lee (empty: discover one)', {
    validate: optionalSchedule,
  });
  return {
    system,
    ...(isCatalogSystem(system) ? {} : { custom: true }),
    ehr: { fhirBaseUrl, sandbox, auth: ehrAuth },
    vendor,
    ...(schedule ? { schedule } : {}),
  };
}
