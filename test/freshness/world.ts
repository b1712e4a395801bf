// An EHR sandbox, a reference vendor in front of it, and the probe context ehr-check would build for them.
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../fixtures/sandbox/index.js';
import { startVendor, type RunningVendor, type VendorOptions } from '../../fixtures/vendors/index.js';
import { readCapabilityStatement, type CapabilitySummary } from '../../src/capability/reader.js';
import { FhirClient, createRequestLog } from '../../src/http/fhir-client.js';
import { FhirVendorChannel } from '../../src/vendor/fhir.js';
import { RunKeys } from '../../src/safety/run-records.js';
import type { ConnectionContext } from '../../src/context.js';
import { MemoryLedger } from '../../src/safety/ledger.js';

export interface FreshnessWorld {
  sandbox: RunningSandbox;
  vendor: RunningVendor;
  ctx: ConnectionContext;
  capability: CapabilitySummary;
  progress: string[];
  ledger: MemoryLedger;
  close(): Promise<void>;
}

let runs = 0;

export async function startFreshnessWorld(vendor: Omit<VendorOptions, 'ehrBaseUrl'>, sandboxOptions: SandboxOptions = {}): Promise<FreshnessWorld> {
  const sandbox = await startSandbox({ flavor: 'generic', ...sandboxOptions });
  let running: RunningVendor;
  try {
    running = await startVendor({ ...vendor, ehrBaseUrl: sandbox.fhirBaseUrl });
  } catch (err) {
    await sandbox.close();
    throw err;
  }
  runs += 1;
  const runId = `freshness-test-${process.pid}-${runs}`;
  const log = createRequestLog();
  const ledger = new MemoryLedger(runId);
  const progress: string[] = [];
  const ehr = new FhirClient({ baseUrl: sandbox.fhirBaseUrl, log });
  const vendorClient = new FhirClient({ baseUrl: running.baseUrl, log });
  const ctx: ConnectionContext = {
    key: 'generic',
    connection: {
      system: 'generic',
      ehr: { fhirBaseUrl: sandbox.fhirBaseUrl, sandbox: true, auth: { type: 'none' } },
      vendor: { kind: 'fhir', baseUrl: running.baseUrl, auth: { type: 'none' } },
    },
    ehr,
    vendor: new FhirVendorChannel(vendorClient),
    runId,
    keys: new RunKeys(runId),
    writesAllowed: true,
    ledger,
    schedule: `Schedule/${sandbox.seeded.scheduleIds[0]}`,
    signal: new AbortController().signal,
    progress: (m) => progress.push(m),
  };
  const capability = readCapabilityStatement(await ehr.capabilities());
  return {
    sandbox,
    vendor: running,
    ctx,
    capability,
    progress,
    ledger,
    close: async () => {
      await Promise.all([ehr.close(), vendorClient.close()]);
      await running.close();
      await sandbox.close();
    },
  };
}

/** Statuses of slots in the EHR, read fresh. */
export async function slotStatuses(world: FreshnessWorld, ids: string[]): Promise<string[]> {
  return Promise.all(ids.map(async (id) => (await world.ctx.ehr.read<{ status: string }>('Slot', id)).status));
}

/** Active Appointments the EHR holds with the run's tag (everything the run or the vendor for it booked). */
export async function activeRunAppointments(world: FreshnessWorld): Promise<number> {
  const found = await world.ctx.ehr.searchAll<{ status: string }>('Appointment', { _tag: `urn:ehr-check:run|${world.ctx.runId}` });
  return found.filter((a) => a.status !== 'cancelled' && a.status !== 'entered-in-error').length;
}
