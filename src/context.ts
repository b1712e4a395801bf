// What every probe gets for one connection. Probes gather evidence only; checks judge it.
import type { FindingMethod } from './capability/methods.js';
import type { CapabilitySummary } from './capability/reader.js';
import type { Verification } from './capability/verified.js';
import type { FhirClient } from './http/fhir-client.js';
import type { VendorChannel } from './vendor/channel.js';
import type { Connection } from './model/plan.js';
import type { FindingId } from './model/report.js';
import type { Operator } from './operator/types.js';
import type { RunKeys } from './safety/run-records.js';
import type { Ledger } from './safety/types.js';

export interface ConnectionContext {
  /** The connection's report id: its system, `epic#2` for a second connection to the same system. */
  key: string;
  connection: Connection;
  /** Client for the EHR sandbox (the record of truth). */
  ehr: FhirClient;
  /** The vendor, through the channel its plan `vendor.kind` names (src/vendor/). */
  vendor: VendorChannel;
  runId: string;
  /** Issues the run's booking and patient keys; one per run, shared by its connections. */
  keys: RunKeys;
  /** Write probes run only when the connection says sandbox: true and the run allows writes (docs/safety.md). */
  writesAllowed: boolean;
  /** Why writes are not allowed, for the `skip` message. */
  writesBlockedReason?: string;
  ledger: Ledger;
  /** `Schedule/{id}` to probe; resolved (from the plan or by discovery) before probes start. */
  schedule?: string;
  /** Aborted on SIGINT/SIGTERM: probes stop waiting and return what they have. */
  signal: AbortSignal;
  /** Progress line for humans (TTY) or CI logs; never evidence. */
  progress(message: string): void;
  /** What the EHR's CapabilityStatement declares; set once connection-live has read it. */
  capability?: CapabilitySummary;
  /** The searches the statement did not list, as tried on the EHR (declared vs verified); `capability` includes the honoured ones. */
  verification?: Verification;
  /** How each finding can be judged on this EHR (api, operator, impossible); absent: everything by API. */
  methods?: Record<FindingId, FindingMethod>;
  /** How each finding that asks something of the vendor can be done on the vendor's side (src/vendor/methods.ts). */
  vendorMethods?: Partial<Record<FindingId, FindingMethod>>;
  /** Who makes the EHR-side changes its API cannot make: a person at a terminal, a script, or nobody. */
  operator?: Operator;
  /** The last reading of free slots a person made (or why they did not), reused by later probes of the run. */
  slotReading?: { window: { start: string; end: string }; slotIds: string[]; at: number; skipped?: string };
}
