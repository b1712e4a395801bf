// Questions about how ehr-check reaches the vendor on one connection: which kind of vendor it is
// (docs/vendor-contract.md), then only what that kind needs. Secrets stay names, as everywhere in init.
import type { VendorEndpoint } from '../model/plan.js';
import { askAuth } from './auth.js';
import type { Ask } from './prompts.js';
import { httpUrl, required } from './rules.js';

type Kind = VendorEndpoint['kind'];

const KIND_CHOICES: Array<{ value: Kind; name: string; description: string }> = [
  { value: 'fhir', name: 'FHIR facade', description: "the vendor's FHIR R4 sandbox (Slot search, Appointment and Patient create)" },
  { value: 'http', name: 'its own REST API', description: 'described by a mapping file (ehr-check schema vendor-mapping)' },
  { value: 'person', name: 'a person uses its product', description: 'phone, chat, SMS or web: someone talks to the voice bot or chat, ehr-check tells them what to do' },
  { value: 'scheduling-links', name: 'SMART Scheduling Links feed', description: 'a published $bulk-publish manifest of free slots' },
];

const CHANNEL_CHOICES = [
  { value: 'phone' as const, name: 'phone', description: 'a voice line, called by a person' },
  { value: 'chat' as const, name: 'chat', description: 'a chat on a web page or app' },
  { value: 'sms' as const, name: 'SMS', description: 'text messages to a number' },
  { value: 'web' as const, name: 'web', description: 'a booking page' },
];

/** Where a person reaches the product: a phone number for phone and SMS, a URL for chat and web. */
export const channelAddress =
  (type: 'phone' | 'chat' | 'sms' | 'web') =>
  (value: string): true | string => {
    if (type === 'chat' || type === 'web') return httpUrl(value);
    return /^\+?[(]?[0-9][0-9 ().-]{5,}$/.test(value.trim()) || 'Enter a phone number such as +1 555 0100.';
  };

export async function askVendor(ask: Ask, label: string): Promise<VendorEndpoint> {
  const kind = await ask.choose(`How is the vendor reached for ${label}?`, KIND_CHOICES, 'fhir');
  switch (kind) {
    case 'fhir': {
      const baseUrl = await ask.text(`Vendor's FHIR sandbox facade for ${label}: base URL`, { validate: httpUrl });
      return { kind, baseUrl, auth: await askAuth(ask, 'vendor sandbox', 'VENDOR', 'bearer') };
    }
    case 'http': {
      const baseUrl = await ask.text(`Vendor's API for ${label}: base URL`, { validate: httpUrl });
      const auth = await askAuth(ask, "vendor's API", 'VENDOR', 'bearer');
      const mapping = await ask.text('Path of the mapping file describing its API (relative to the plan file)', {
        default: './vendor-api.yaml',
        validate: required('the mapping file path'),
      });
      return { kind, baseUrl, auth, mapping };
    }
    case 'person': {
      const type = await ask.choose('How does a person reach the product?', CHANNEL_CHOICES, 'phone');
      const address = await ask.text(type === 'phone' || type === 'sms' ? 'Its phone number' : 'Its URL', { validate: channelAddress(type) });
      const practitioner = await ask.text('How to name the schedule to it, e.g. Dr. Lee (empty: by the schedule id)');
      return { kind, channel: { type, address }, ...(practitioner ? { practitioner } : {}) };
    }
    case 'scheduling-links': {
      const manifestUrl = await ask.text('URL of its $bulk-publish manifest', { validate: httpUrl });
      const schedule = await ask.text("The feed's Schedule for this EHR schedule (empty: all of the feed's)");
      return { kind, manifestUrl, ...(schedule ? { schedule } : {}) };
    }
  }
}
