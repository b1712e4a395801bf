// JSON Schema of the vendor manifest (docs/plan-and-manifest.md): the vendor's claims, in its own words, to be checked.
import { CUSTOM_SYSTEM, EDITOR_SCHEMA_REF, SYSTEM_ID, text, type JsonSchema } from './common.js';

export const MECHANISMS = ['fhir-subscription', 'hl7v2', 'polling', 'batch', 'manual'] as const;
export const FRESHNESS_CLAIMS = ['real-time', 'near-real-time', 'delayed', 'batch'] as const;

const claimedSystem: JsonSchema = {
  type: 'object',
  title: 'claimed system',
  properties: {
    system: SYSTEM_ID,
    custom: CUSTOM_SYSTEM,
    directions: {
      type: 'array',
      uniqueItems: true,
      items: { enum: ['read', 'write'] },
      description: 'a list of the directions claimed: read, write',
    },
    mechanism: { enum: [...MECHANISMS], description: 'how changes reach the vendor' },
    freshness: { enum: [...FRESHNESS_CLAIMS], description: 'how fresh the vendor says its data is' },
    certifications: {
      type: 'array',
      description: 'a list of the marketplace or program listings claimed for this system',
      items: {
        type: 'object',
        title: 'claimed certification',
        properties: {
          program: text('the certification program, e.g. "epic-showroom"'),
          listingId: text("the listing's id in that program"),
        },
        required: ['program', 'listingId'],
        additionalProperties: false,
      },
    },
  },
  required: ['system'],
  additionalProperties: false,
};

export const MANIFEST_SCHEMA: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:ehr-check:schema:manifest:1',
  title: 'manifest',
  description: "A vendor's integration claims: which EHR systems, which directions, how fresh, which certifications.",
  type: 'object',
  properties: {
    $schema: EDITOR_SCHEMA_REF,
    version: { const: 1, description: 'the manifest format version: 1' },
    vendor: text("the vendor's name"),
    claimedSystemCount: {
      type: 'integer',
      minimum: 0,
      description: 'a number of EHR systems the vendor says it integrates with (its marketing number)',
    },
    systems: { type: 'array', items: claimedSystem, description: 'a list of the systems the vendor claims, one entry each' },
  },
  required: ['version', 'vendor', 'systems'],
  additionalProperties: false,
};
