// An EHR sandbox with the reference REST vendor in front of it, and the plan connection ehr-check is given for it:
// `vendor: {kind: http}` with the shipped mapping (examples/vendor-api.yaml), or a variant of it written to a
// temporary folder. The EHR is read independently (test/helpers/ehr-truth.ts) to check every verdict.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../fixtures/sandbox/index.js';
import { startRestVendor, type RestVendorOptions, type RunningRestVendor } from '../../fixtures/vendors/rest/index.js';
import type { Connection } from '../../src/model/plan.js';
import { REPO } from '../helpers/paths.js';
import { assemble } from '../helpers/world.js';

export const EXAMPLE_MAPPING = join(REPO, 'examples', 'vendor-api.yaml');

export interface RestWorld {
  sandbox: RunningSandbox;
  vendor: RunningRestVendor;
  scheduleId: string;
  close(): Promise<void>;
}

export function startRestWorld(vendor: Omit<RestVendorOptions, 'ehrBaseUrl'> = {}, sandbox: SandboxOptions = {}): Promise<RestWorld> {
  return assemble(async (own) => {
    const ehr = own(await startSandbox({ flavor: 'generic', ...sandbox }));
    const rest = own(await startRestVendor({ ...vendor, ehrBaseUrl: ehr.fhirBaseUrl }));
    return { sandbox: ehr, vendor: rest, scheduleId: ehr.seeded.scheduleIds[0]! };
  });
}

/** The connection a plan gives for this world, with `mapping` (default: the shipped example). */
export function restConnection(world: Pick<RestWorld, 'sandbox' | 'vendor' | 'scheduleId'>, system = 'athenahealth', mapping = EXAMPLE_MAPPING): Connection {
  return {
    system,
    ehr: { fhirBaseUrl: world.sandbox.fhirBaseUrl, sandbox: true, auth: { type: 'none' } },
    vendor: { kind: 'http', baseUrl: world.vendor.baseUrl, auth: { type: 'none' }, mapping, params: { providerId: world.scheduleId } },
    schedule: `Schedule/${world.scheduleId}`,
  };
}

/** Mapping variants, written as files: the example changed by `edit` (it gets the parsed document). */
export class MappingFiles {
  private readonly dir = mkdtempSync(join(tmpdir(), 'ehr-check-mapping-'));
  private written = 0;

  variant(edit: (doc: any) => void): string {
    const doc = parse(readFileSync(EXAMPLE_MAPPING, 'utf8'));
    edit(doc);
    return this.write(stringify(doc));
  }

  write(text: string, name = `mapping-${++this.written}.yaml`): string {
    const file = join(this.dir, name);
    writeFileSync(file, text);
    return file;
  }

  get folder(): string {
    return this.dir;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
