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
  sparseStatement?: boolean;
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
  const { startSandbox, FLAVORS } = await import('../../fixtures/sandbox/index.js');
  const flavor = FLAVORS.find((f) => f === (opts.flavor ?? 'generic'));
  if (!flavor) throw new UsageError(`--flavor must be one of ${FLAVORS.join(', ')}`);
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, got ${port}`);
  const seed = opts.seed ?? 1;
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got ${seed}`);

  const clients = await readClients(io);
  const signalled = whenSignalled();
  let sandbox;
  try {
    sandbox = await startSandbox({ flavor, port, seed, requireAuth: Boolean(opts.requireAuth), clients, allowOverbooking: Boolean(opts.allowOverbooking), sparseStatement: Boolean(opts.sparseStatement) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UsageError(`port ${port} on 127.0.0.1 is already in use`);
    throw error;
  }
  io.out(
    [
      `FHIR base URL  ${sandbox.fhirBaseUrl}`,
      `Token URL      ${sandbox.tokenUrl}`,
      `Staff console  ${sandbox.staffUrl}`,
      `Flavor ${flavor}, seed ${seed}, ${sandbox.seeded.slotCount} slots on ${sandbox.seeded.scheduleIds.map((id) => `Schedule/${id}`).join(', ')}`,
      `${opts.requireAuth ? 'SMART backend-services token required' : 'Open (no token required)'}` +
        `${opts.allowOverbooking ? ', overbooking allowed' : ''}` +
        `${opts.sparseStatement ? ', statement lists only _lastUpdated and identifier searches' : ''}; ${clients.length} registered client(s) (${CLIENTS_ENV}).`,
      'Stop with Ctrl+C.',
      '',
    ].join('\n'),
  );
  const signal = await signalled;
  await sandbox.close();
  io.err(`sandbox stopped (${signal})\n`);
  return 0;
}
