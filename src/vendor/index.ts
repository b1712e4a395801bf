// Opens the channel the plan's `vendor.kind` names. One adapter per kind of the plan schema's enum: the record
// below must name every kind the plan type allows (a compile error otherwise), and a test holds it to the schema.
import { FhirClient } from '../http/fhir-client.js';
import type { ClientOptions } from '../http/types.js';
import type { VendorEndpoint } from '../model/plan.js';
import type { Operator } from '../operator/types.js';
import type { VendorChannel } from './channel.js';
import { FhirVendorChannel } from './fhir.js';

export type VendorKind = VendorEndpoint['kind'];
/** What every adapter may use: the HTTP client's settings, and who can be asked to use the product. */
export interface ChannelOptions extends Omit<ClientOptions, 'baseUrl' | 'auth' | 'name'> {
  operator?: Operator;
  /** The run's id, for steps put to a person. */
  runId?: string;
  /** The connection's key (`epic`), for steps put to a person. */
  connection?: string;
}

type Open<K extends VendorKind> = (vendor: Extract<VendorEndpoint, { kind: K }>, common: ChannelOptions) => VendorChannel;

const notYet = (kind: string) => (): VendorChannel => {
  throw new Error(`vendor.kind "${kind}" has no adapter in this build`);
};

export const VENDOR_ADAPTERS: { [K in VendorKind]: Open<K> } = {
  fhir: (vendor, common) => new FhirVendorChannel(new FhirClient({ ...common, name: 'vendor', baseUrl: vendor.baseUrl, auth: vendor.auth })),
  http: notYet('http'),
  person: notYet('person'),
  'scheduling-links': notYet('scheduling-links'),
};

export function openVendorChannel(vendor: VendorEndpoint, common: ChannelOptions): VendorChannel {
  const open = VENDOR_ADAPTERS[vendor.kind] as Open<VendorKind> | undefined;
  if (!open) throw new Error(`vendor.kind "${String(vendor.kind)}" has no adapter (known: ${Object.keys(VENDOR_ADAPTERS).join(', ')})`);
  return open(vendor as never, common);
}

export type { VendorChannel } from './channel.js';
export { FhirVendorChannel } from './fhir.js';
