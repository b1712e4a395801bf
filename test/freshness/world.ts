// An EHR sandbox, a reference vendor in front of it (the shared test world), and the probe context ehr-check
// builds for them (src/run/connections.ts), with the EHR's capability as connection-live would read it.
import type { SandboxOptions } from '../../fixtures/sandbox/index.js';
import { readCapabilityStatement, type CapabilitySummary } from '../../src/capability/reader.js';
import type { ConnectionContext } from '../../src/context.js';
import type { MemoryLedger } from '../../src/safety/ledger.js';
import { RUN_TAG, searchEhr } from '../helpers/ehr-truth.js';
import { contextsFor, newRunId, testPlan, worldConnection } from '../helpers/run.js';
import { assemble, startWorld, type VendorSpec, type World } from '../helpers/world.js';

export interface FreshnessWorld extends World {
  ctx: ConnectionContext;
  capability: CapabilitySummary;
  progress: string[];
  ledger: MemoryLedger;
}

export function startFreshnessWorld(vendor: VendorSpec, sandbox: SandboxOptions = {}): Promise<FreshnessWorld> {
  return assemble(async (own) => {
    const world = own(await startWorld({ vendor, sandbox }));
    const { ctx, ledger, progress } = own(contextsFor(testPlan([worldConnection(world, 'generic')]), { runId: newRunId('freshness-test') }));
    const capability = readCapabilityStatement(await ctx.ehr.capabilities());
    return { sandbox: world.sandbox, vendor: world.vendor, ctx, capability, progress, ledger };
  });
}

/** Active Appointments the EHR holds with the run's tag (everything the run or the vendor for it booked), read with plain fetch. */
export async function activeRunAppointments(world: FreshnessWorld): Promise<number> {
  const found = await searchEhr<{ status: string }>(world.sandbox.fhirBaseUrl, 'Appointment', { _tag: `${RUN_TAG}|${world.ctx.runId}` });
  return found.filter((a) => a.status !== 'cancelled' && a.status !== 'entered-in-error').length;
}
