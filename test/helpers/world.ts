// The one test world: an embedded EHR sandbox, a reference vendor in front of it and, where a test needs one, a
// pass-through proxy that lets it watch or reshape what reaches the EHR. Whatever a start-up opened is closed
// again if a later step fails, so a broken start never leaves ports or timers behind.
import { createServer } from 'node:net';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../fixtures/sandbox/index.js';
import { startVendor, type RunningVendor, type VendorOptions } from '../../fixtures/vendors/index.js';
import { startEhrProxy, type EhrProxy, type ProxyOptions } from './ehr-proxy.js';

interface Closable {
  close(): Promise<unknown>;
}

/**
 * Builds something step by step; `own` records each opened part. If a step throws, the parts opened so far are
 * closed (newest first) and the error goes on; otherwise `close()` closes them all, newest first.
 */
export async function assemble<T extends object>(build: (own: <C extends Closable>(part: C) => C) => Promise<T>): Promise<T & { close(): Promise<void> }> {
  const opened: Closable[] = [];
  const close = async (): Promise<void> => {
    for (const part of opened.splice(0).reverse()) await part.close();
  };
  try {
    const built = await build((part) => (opened.push(part), part));
    return Object.assign(built, { close });
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

export type VendorSpec = Omit<VendorOptions, 'ehrBaseUrl'>;

export interface WorldOptions {
  /** The sandbox's options; the flavor is `generic` unless named. */
  sandbox?: SandboxOptions;
  /** The reference vendor, or how to make it from the running sandbox (e.g. to give it the staff console). */
  vendor: VendorSpec | ((sandbox: RunningSandbox) => VendorSpec);
  /** Runs on the sandbox before the vendor starts (and takes its first look at the EHR). */
  beforeVendor?: (sandbox: RunningSandbox) => Promise<void>;
  /** The vendor reaches the EHR through a proxy with these options, not directly. */
  vendorProxy?: ProxyOptions | ((sandbox: RunningSandbox) => ProxyOptions);
  /** ehr-check reaches the EHR through a proxy with these options: `planFor` points the plan at it. */
  probeProxy?: ProxyOptions;
}

export interface World {
  sandbox: RunningSandbox;
  vendor: RunningVendor;
  /** The proxy between the vendor and the EHR, when asked for. */
  vendorProxy?: EhrProxy;
  /** The proxy between ehr-check and the EHR, when asked for. */
  probeProxy?: EhrProxy;
  close(): Promise<void>;
}

export function startWorld(options: WorldOptions): Promise<World> {
  return assemble(async (own) => {
    const sandbox = own(await startSandbox({ flavor: 'generic', ...options.sandbox }));
    await options.beforeVendor?.(sandbox);
    const proxyOptions = typeof options.vendorProxy === 'function' ? options.vendorProxy(sandbox) : options.vendorProxy;
    const vendorProxy = proxyOptions && own(await startEhrProxy(sandbox.fhirBaseUrl, proxyOptions));
    const vendor = own(await startVendorOn(sandbox, options.vendor, vendorProxy?.fhirBaseUrl));
    const probeProxy = options.probeProxy && own(await startEhrProxy(sandbox.fhirBaseUrl, options.probeProxy));
    return { sandbox, vendor, ...(vendorProxy && { vendorProxy }), ...(probeProxy && { probeProxy }) };
  });
}

/** A reference vendor on a running sandbox (closing it closes only the vendor), reaching it at `ehrBaseUrl` if given. */
export function startVendorOn(sandbox: RunningSandbox, vendor: WorldOptions['vendor'], ehrBaseUrl = sandbox.fhirBaseUrl): Promise<RunningVendor> {
  return startVendor({ ...(typeof vendor === 'function' ? vendor(sandbox) : vendor), ehrBaseUrl });
}

/** A loopback port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function closedPortUrl(path = '/fhir'): Promise<string> {
  return `http://127.0.0.1:${await closedPort()}${path}`;
}
