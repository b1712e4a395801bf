// Opens the channel the plan's `vendor.kind` names. One adapter per kind of the plan schema's enum: the record
// below must name every kind the plan type allows (a compile error otherwise), and a test holds it to the schema.
import { FhirClient } from '../http/fhir-client.js';
import type { ClientOptions } from '../http/types.js';
import type { Connection } from '../model/plan.js';
import type { VendorChannel } from './channel.js';
import { FhirVendorChannel } from './fhir.js';

export type VendorKind = Connection['vendor']['kind'];
type ChannelOptions = Omit<ClientOptions, 'baseUrl' | 'auth' | 'name'>;

export const VENDOR_ADAPTERS: Record<VendorKind, (vendor: Connection['vendor'], common: ChannelOptions) => VendorChannel> = {
  fhir: (vendor, common) => new FhirVendorChannel(new FhirClient({ ...common, name: 'vendor', baseUrl: vendor.baseUrl, auth: vendor.auth })),
};

export function openVendorChannel(vendor: Connection['vendor'], common: ChannelOptions): VendorChannel {
  const open = VENDOR_ADAPTERS[vendor.kind] as (typeof VENDOR_ADAPTERS)[VendorKind] | undefined;
  if (!open) throw new Error(`vendor.kind "${String(vendor.kind)}" has no adapter (known: ${Object.keys(VENDOR_ADAPTERS).join(', ')})`);
  return open(vendor, common);
}

export type { VendorChannel } from './channel.js';
export { FhirVendorChannel } from './fhir.js';
