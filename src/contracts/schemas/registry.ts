// JSON Schema of the certification registry (docs/plan-and-manifest.md): listings the buyer trusts.
import { CUSTOM_SYSTEM, EDITOR_SCHEMA_REF, SYSTEM_ID, text, type JsonSchema } from './common.js';

export const LISTING_STATUSES = ['active', 'suspended', 'withdrawn'] as const;

export const REGISTRY_SCHEMA: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:ehr-check:schema:registry:1',
  title: 'registry',
  description: 'Certification listings the buyer trusts, exported from a marketplace or ONC CHPL, or kept by hand.',
  type: 'object',
  properties: {
    $schema: EDITOR_SCHEMA_REF,
    version: { const: 1, description: 'the registry format version: 1' },
    listings: {
      type: 'array',
      description: 'a list of listings',
      items: {
        type: 'object',
        title: 'listing',
        properties: {
          program: text('the certification program, e.g. "epic-showroom" or "onc-chpl"'),
          system: SYSTEM_ID,
          custom: CUSTOM_SYSTEM,
          vendor: text("the listed vendor's name"),
          listingId: text("the listing's id in its program"),
          status: { enum: [...LISTING_STATUSES], description: "the listing's status" },
          validUntil: {
            type: 'string',
            pattern: '^\\d{4}-\\d{2}-\\d{2}([T ][0-9:.]+(Z|[+-]\\d{2}:?\\d{2})?)?$',
            description: 'a date such as "2027-06-30" (or a date and time)',
          },
        },
        required: ['program', 'system', 'vendor', 'listingId', 'status'],
        additionalProperties: false,
      },
    },
  },
  required: ['version', 'listings'],
  additionalProperties: false,
};
