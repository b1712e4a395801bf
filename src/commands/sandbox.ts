// `ehr-check sandbox`: serves one embedded EHR sandbox on loopback until SIGINT or SIGTERM.
// The sandbox (fixtures/) is imported only here, when this command runs.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import type { Io } from '../cli/io.js';
import type { RegisteredClient } from '../../fixtures/sandbox/types.js';

/** Environment variable naming a JSON file of backend-services clients: `[{clientId, jwks: {keys}, scope?}]`. */
export const CLIENTS_ENV = 'EHR_CHECK_SANDBOX_CLIENTS';

export interface SandboxCommandOptions {
  flavor?: string;
  port?: number;
  seed?: number;
  requireAuth?: boolean;
  allowOverbooking?: boolean;
  redirectTo?: string;
  deriveSlotStatus?: boolean;
  sparseStatement?: boolean;
  /** Also serve a reference vendor (deep, shallow, batch) connected to this sandbox, to try `run` before a real one. */
  vendor?: string;
  vendorPort?: number;
}

const VENDOR_BEHAVIORS = ['deep', 'shallow', 'batch'] as const;

function checkedPort(value: number | undefined, flag: string): number {
  const port = value ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`${flag} must be an integer from 0 to 65535, got ${port}`);
  return port;
}

/** A port taken or refused is the user's to fix, never a stack trace. */
function portError(error: unknown, port: number, flag: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return new UsageError(`${flag} ${port}: that port on 127.0.0.1 is already in use; choose another, or 0 for any free port`);
  if (code === 'EACCES') return new UsageError(`${flag} ${port}: this user may not listen on that port; choose one above 1023, or 0 for any free port`);
  return error;
}

async function readClients(io: Io): Promise<RegisteredClient[]> {
  const name = io.env[CLIENTS_ENV];
  if (!name) return [];
  const file = resolve(io.cwd, name);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new InputError([{ file, field: '', message: `cannot read the clients file: ${(error as Error).message}` }]);
  }
  const list = Array.isArray(parsed) ? parsed : [];
  list.forEach((client, index) => {
    const ok = client && typeof client.clientId === 'string' && Array.isArray(client.jwks?.keys);
    if (!ok) throw new InputError([{ file, field: `/${index}`, message: 'expected {clientId: string, jwks: {keys: [...]}}' }]);
  });
  if (!Array.isArray(parsed)) throw new InputError([{ file, field: '', message: 'expected a JSON array of clients' }]);
  return list as RegisteredClient[];
}

function whenSignalled(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export default async function sandboxCommand(opts: SandboxCommandOptions, io: Io): Promise<number> {
  const { startSandbox, FLAVORS, redirectTargetProblem } = await import('../../fixtures/sandbox/index.js');
  const flavor = FLAVORS.find((f) => f === (opts.flavor ?? 'generic'));
  if (!flavor) throw new UsageError(`--flavor must be one of ${FLAVORS.join(', ')}`);
  const port = checkedPort(opts.port, '--port');
  const vendorPort = checkedPort(opts.vendorPort, '--vendor-port');
  const behavior = opts.vendor === undefined ? undefined : VENDOR_BEHAVIORS.find((b) => b === opts.vendor);
  if (opts.vendor !== undefined && !behavior) throw new UsageError(`--vendor must be one of ${VENDOR_BEHAVIORS.join(', ')}, got "${opts.vendor}"`);
  if (opts.vendorPort !== undefined && !behavior) throw new UsageError('--vendor-port needs --vendor');
  if (behavior && opts.requireAuth) throw new UsageError('--vendor serves a reference vendor on an open sandbox: leave out --require-auth');
  const seed = opts.seed ?? 1;
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got ${seed}`);

  const redirectProblem = opts.redirectTo === undefined ? undefined : redirectTargetProblem(opts.redirectTo);
  if (redirectProblem) throw new UsageError(`--redirect-to: ${redirectProblem}; give a FHIR base URL, e.g. http://127.0.0.1:8102/fhir/R4`);

  const clients = await readClients(io);
  const signalled = whenSignalled();
  let sandbox;
  try {
    sandbox = await startSandbox({ flavor, port, seed, requireAuth: Boolean(opts.requireAuth), clients, allowOverbooking: Boolean(opts.allowOverbooking), deriveSlotStatus: Boolean(opts.deriveSlotStatus), sparseStatement: Boolean(opts.sparseStatement), ...(opts.redirectTo !== undefined && { redirect: { to: opts.redirectTo } }) });
  } catch (error) {
    throw portError(error, port, '--port');
  }
  let vendor;
  if (behavior) {
    const { startVendor } = await import('../../fixtures/vendors/index.js');
    try {
      // The staff console is its way in where the flavor's FHIR API has no Slot search or booking (epic, athena).
      vendor = await startVendor({ behavior, ehrBaseUrl: sandbox.fhirBaseUrl, ehrStaffUrl: sandbox.staffUrl, port: vendorPort });
    } catch (error) {
      await sandbox.close();
      throw portError(error, vendorPort, '--vendor-port');
    }
  }
  io.out(
    [
      `FHIR base URL  ${sandbox.fhirBaseUrl}`,
      `Token URL      ${sandbox.tokenUrl}`,
      `Staff console  ${sandbox.staffUrl}`,
      `Flavor ${flavor}, seed ${seed}, ${sandbox.seeded.slotCount} slots on ${sandbox.seeded.scheduleIds.map((id) => `Schedule/${id}`).join(', ')}`,
      `${opts.requireAuth ? 'SMART backend-services token required' : 'Open (no token required)'}` +
        `${opts.allowOverbooking ? ', overbooking allowed' : ''}` +
        `${opts.deriveSlotStatus ? ', slot status derived from bookings' : ''}` +
        `${opts.sparseStatement ? ', statement lists only _lastUpdated and identifier searches' : ''}; ${clients.length} registered client(s) (${CLIENTS_ENV}).`,
      ...(opts.redirectTo !== undefined ? [`Every FHIR request is answered with a 302 to ${opts.redirectTo}`] : []),
      ...(vendor ? [`Vendor facade  ${vendor.baseUrl}  (${vendor.name}, connected to this sandbox: put it in your plan as vendor.baseUrl)`] : []),
      'Stop with Ctrl+C.',
      '',
    ].join('\n'),
  );
  const signal = await signalled;
  await vendor?.close();
  await sandbox.close();
  io.err(`sandbox stopped (${signal})\n`);
  return 0;
}
