// Opens the channel the plan's `vendor.kind` names, and says what it can do before it is opened (for
// `inspect --plan`). One adapter per kind of the plan schema's enum: the record below must name every kind the plan
// type allows (a compile error otherwise), and a test holds it to the schema.
import { FhirClient } from '../http/fhir-client.js';
import type { ClientOptionsWithoutEndpoint } from '../http/client-parts.js';
import type { VendorEndpoint } from '../model/plan.js';
import type { Operator } from '../operator/types.js';
import type { VendorAbilities, VendorChannel } from './channel.js';
import { FHIR_ABILITIES, FhirVendorChannel } from './fhir.js';
import { httpVendorAbilities, openHttpVendor } from './http/adapter.js';
import { PERSON_ABILITIES, PersonVendorChannel, type PersonChannelOptions } from './person.js';
import type { TestPatientName } from '../safety/run-records.js';
import { SchedulingLinksChannel, schedulingLinksAbilities } from './scheduling-links/channel.js';
import { FEED_BOOKING_ABILITIES, feedBookingByPerson } from './scheduling-links/by-person.js';

export type VendorKind = VendorEndpoint['kind'];
/** What every adapter may use: the HTTP client's settings, and who can be asked to use the product. */
export interface ChannelOptions extends ClientOptionsWithoutEndpoint {
  operator?: Operator;
  /** The run's id, for steps put to a person. */
  runId?: string;
  /** The connection's key (`epic`), for steps put to a person. */
  connection?: string;
  /** The connection's EHR base URL, for steps put to a person (a script's HTTP answer may call its host). */
  ehrBaseUrl?: string;
  /** The run's synthetic test patients, by `Patient/{id}`: the only patients a person may be told the name of. */
  testPatients?: ReadonlyMap<string, TestPatientName>;
  /** Aborted when the run is interrupted: a question put to a person is withdrawn. */
  signal?: AbortSignal;
}

type Endpoint<K extends VendorKind> = Extract<VendorEndpoint, { kind: K }>;

export interface VendorAdapter<K extends VendorKind> {
  /** What a channel of this kind can do for this endpoint; no network I/O (a mapping file may be read). */
  abilities(vendor: Endpoint<K>): VendorAbilities;
  open(vendor: Endpoint<K>, common: ChannelOptions): VendorChannel;
}

/** The HTTP client's settings alone: what only steps put to a person use is left out. */
function clientOptions({ operator: _o, runId: _r, connection: _c, ehrBaseUrl: _e, testPatients: _t, signal: _s, ...client }: ChannelOptions): ClientOptionsWithoutEndpoint {
  return client;
}

/** What steps put to a person at the vendor's product carry; `fallback` names the connection when none is given. */
function personOptions(common: ChannelOptions, fallback: string): PersonChannelOptions {
  return {
    operator: common.operator,
    runId: common.runId ?? 'run',
    connection: common.connection ?? fallback,
    ehrBaseUrl: common.ehrBaseUrl ?? '',
    testPatients: common.testPatients ?? new Map(),
    ...(common.signal && { signal: common.signal }),
  };
}

export const VENDOR_ADAPTERS: { [K in VendorKind]: VendorAdapter<K> } = {
  fhir: {
    abilities: () => FHIR_ABILITIES,
    open: (vendor, common) => new FhirVendorChannel(new FhirClient({ ...clientOptions(common), name: 'vendor', baseUrl: vendor.baseUrl, auth: vendor.auth })),
  },
  http: { abilities: httpVendorAbilities, open: (vendor, common) => openHttpVendor(vendor, clientOptions(common)) },
  person: {
    abilities: () => PERSON_ABILITIES,
    open: (vendor, common) => new PersonVendorChannel(vendor, personOptions(common, vendor.channel.type)),
  },
  // A feed cannot book: a person follows the slot's deep link or phone (its booking delegate).
  'scheduling-links': {
    abilities: (vendor) => schedulingLinksAbilities(vendor, { can: FEED_BOOKING_ABILITIES }),
    open: (vendor, common) =>
      new SchedulingLinksChannel(vendor, { ...clientOptions(common), booking: feedBookingByPerson(vendor, personOptions(common, 'feed')) }),
  },
};

function adapterOf(vendor: VendorEndpoint): VendorAdapter<VendorKind> {
  const adapter = VENDOR_ADAPTERS[vendor.kind] as VendorAdapter<VendorKind> | undefined;
  if (!adapter) throw new Error(`vendor.kind "${String(vendor.kind)}" has no adapter (known: ${Object.keys(VENDOR_ADAPTERS).join(', ')})`);
  return adapter;
}

export function openVendorChannel(vendor: VendorEndpoint, common: ChannelOptions): VendorChannel {
  return adapterOf(vendor).open(vendor as never, common);
}

/** What the vendor's channel can do, without opening it. */
export function vendorAbilities(vendor: VendorEndpoint): VendorAbilities {
  return adapterOf(vendor).abilities(vendor as never);
}

export type { VendorChannel } from './channel.js';
export { FhirVendorChannel } from './fhir.js';
