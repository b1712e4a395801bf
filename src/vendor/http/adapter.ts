// The `http` kind's adapter: the plan's mapping file says what the channel can do and how it speaks.
import { JsonClient } from '../../http/json-client.js';
import type { ClientOptionsWithoutEndpoint } from '../../http/client-parts.js';
import type { HttpVendorEndpoint } from '../../model/plan.js';
import type { VendorAbilities, VendorChannel } from '../channel.js';
import { httpAbilities, HttpVendorChannel } from './channel.js';
import { loadMapping } from './mapping.js';
import { OperationCaller } from './operations.js';

export function httpVendorAbilities(vendor: HttpVendorEndpoint): VendorAbilities {
  return httpAbilities(loadMapping(vendor.mapping).mapping);
}

export function openHttpVendor(vendor: HttpVendorEndpoint, common: ClientOptionsWithoutEndpoint): VendorChannel {
  const loaded = loadMapping(vendor.mapping);
  const client = new JsonClient({ ...common, name: 'vendor', baseUrl: vendor.baseUrl, auth: vendor.auth });
  return new HttpVendorChannel(client, loaded, new OperationCaller(client, loaded.file, vendor.params ?? {}, common.env ?? process.env));
}
