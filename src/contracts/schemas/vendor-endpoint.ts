// A connection's `vendor`: how ehr-check reaches the vendor, one shape per `kind` (docs/vendor-contract.md). The
// kinds here are the ones src/vendor/index.ts opens a channel for; a test holds the two lists equal.
import { AUTH, FILE_PATH, HTTP_URL, text, type JsonSchema } from './common.js';

export const VENDOR_KINDS = ['fhir', 'http', 'person', 'scheduling-links'] as const;

const PARAM_VALUE = { type: ['string', 'number'], description: 'a string or a number' };

export const VENDOR_ENDPOINT: JsonSchema = {
  type: 'object',
  title: 'vendor endpoint',
  description: 'how to reach the vendor: kind fhir, http, person or scheduling-links',
  discriminator: { propertyName: 'kind' },
  oneOf: [
    {
      title: 'fhir vendor',
      properties: {
        kind: { const: 'fhir', description: "the vendor's FHIR R4 sandbox facade" },
        baseUrl: { ...HTTP_URL, description: "an http or https URL of the vendor's FHIR facade" },
        auth: AUTH,
      },
      required: ['kind', 'baseUrl', 'auth'],
      additionalProperties: false,
    },
    {
      title: 'http vendor',
      properties: {
        kind: { const: 'http', description: "the vendor's own REST API, described by a mapping file" },
        baseUrl: { ...HTTP_URL, description: "an http or https URL of the vendor's API" },
        auth: AUTH,
        mapping: { ...FILE_PATH, description: 'a path to the vendor mapping file (ehr-check schema vendor-mapping), relative to the plan file' },
        params: {
          type: 'object',
          description: "values the mapping's requests may use as {{params.NAME}}, such as the vendor's id for the practitioner",
          additionalProperties: PARAM_VALUE,
        },
      },
      required: ['kind', 'baseUrl', 'auth', 'mapping'],
      additionalProperties: false,
    },
    {
      title: 'person vendor',
      properties: {
        kind: { const: 'person', description: "a person uses the vendor's product: phone, chat, SMS or web" },
        channel: {
          type: 'object',
          title: 'vendor channel',
          properties: {
            type: { enum: ['phone', 'chat', 'sms', 'web'], description: 'how the person reaches the product: phone, chat, sms or web' },
            address: text('where to reach it: a phone number, or the URL of the chat or web page'),
          },
          required: ['type', 'address'],
          additionalProperties: false,
        },
        practitioner: text('how to name the schedule to the product, e.g. "Dr. Lee"'),
      },
      required: ['kind', 'channel'],
      additionalProperties: false,
    },
    {
      title: 'scheduling-links vendor',
      properties: {
        kind: { const: 'scheduling-links', description: 'a SMART Scheduling Links publisher' },
        manifestUrl: { ...HTTP_URL, description: "an http or https URL of the publisher's $bulk-publish manifest" },
        schedule: {
          type: 'string',
          minLength: 1,
          description: "the feed's Schedule that stands for the EHR's schedule: its id or a \"Schedule/{id}\" reference (all of the feed's when absent)",
        },
        minPollSeconds: {
          type: 'number',
          minimum: 1,
          maximum: 3600,
          description: 'seconds between two reads of the feed at the least, from 1 to 3600 (default 60, as the spec asks; Cache-Control may ask for more)',
        },
      },
      required: ['kind', 'manifestUrl'],
      additionalProperties: false,
    },
  ],
};
