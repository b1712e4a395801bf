// JSON Schema of the plan file (docs/plan-and-manifest.md). Unknown keys are errors everywhere: a typo must not silently
// drop a setting. Rules across fields (e.g. realTimeSeconds <= nearRealTimeSeconds) live in plan-rules.ts.
import { CHECK_CATALOG, CHECK_IDS, type CheckCatalogEntry, type CheckId } from '../../../checks/catalog.js';
import { LIMIT_DEFAULTS, VOLUME_DEFAULTS } from '../defaults.js';
import { AUTH, CUSTOM_SYSTEM, EDITOR_SCHEMA_REF, FILE_PATH, HTTP_URL, SYSTEM_ID, envVar, text, type JsonSchema } from './common.js';
import { VENDOR_ENDPOINT } from './vendor-endpoint.js';

const nonNegative = (description: string): JsonSchema => ({ type: 'number', minimum: 0, description });

const weight = (fallback: number): JsonSchema => ({
  type: 'number',
  minimum: 0,
  default: fallback,
  description: 'a weight in the overall score (0 or more; 0 runs the check without counting it)',
});

/** `checks.<id>`: its weight, then the settings its definition declares. */
const checkSettings = (id: CheckId, check: CheckCatalogEntry): JsonSchema => ({
  type: 'object',
  title: `${id} check`,
  properties: { weight: weight(check.defaultWeight), ...(check.settings?.schema ?? {}) },
  additionalProperties: false,
});

const site: JsonSchema = {
  type: 'object',
  title: 'site',
  properties: { name: text('the site name'), system: SYSTEM_ID, custom: CUSTOM_SYSTEM },
  required: ['name', 'system'],
  additionalProperties: false,
};

const connection: JsonSchema = {
  type: 'object',
  title: 'connection',
  properties: {
    system: SYSTEM_ID,
    custom: CUSTOM_SYSTEM,
    ehr: {
      type: 'object',
      title: 'ehr',
      properties: {
        fhirBaseUrl: { ...HTTP_URL, description: "an http or https URL of the EHR's FHIR R4 base" },
        sandbox: { type: 'boolean', description: 'true or false: whether write probes may run here (only on sandboxes)' },
        auth: AUTH,
      },
      required: ['fhirBaseUrl', 'auth'],
      additionalProperties: false,
    },
    vendor: VENDOR_ENDPOINT,
    schedule: {
      type: 'string',
      pattern: '^Schedule/[A-Za-z0-9\\-.]{1,64}$',
      description: 'a Schedule reference such as "Schedule/dr-lee"',
    },
  },
  required: ['system', 'ehr', 'vendor'],
  additionalProperties: false,
};

export const PLAN_SCHEMA: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:ehr-check:schema:plan:1',
  title: 'plan',
  description: 'An ehr-check plan: who buys, which vendor, which EHR connections to probe, how to score and gate.',
  type: 'object',
  properties: {
    $schema: EDITOR_SCHEMA_REF,
    version: { const: 1, description: 'the plan format version: 1' },
    buyer: {
      type: 'object',
      title: 'buyer',
      properties: {
        name: text("the buyer's name"),
        volumes: {
          type: 'object',
          title: 'volumes',
          properties: {
            bookingsPerWeek: nonNegative('a number of bookings per week'),
            minutesPerManualEntry: nonNegative('a number of staff minutes to re-enter one booking by hand'),
            staffHourlyCost: nonNegative('a cost of one staff hour'),
            minutesPerDoubleBooking: {
              ...nonNegative('a number of staff minutes to resolve one double-booking (find it, call the patient, rebook)'),
              default: VOLUME_DEFAULTS.minutesPerDoubleBooking,
            },
          },
          required: ['bookingsPerWeek', 'minutesPerManualEntry', 'staffHourlyCost'],
          additionalProperties: false,
        },
        sites: { type: 'array', minItems: 1, items: site, description: "a list of the buyer's sites and the EHR each runs" },
      },
      required: ['name', 'sites'],
      additionalProperties: false,
    },
    vendor: {
      type: 'object',
      title: 'vendor',
      properties: {
        name: text("the vendor's name"),
        manifest: { ...FILE_PATH, description: "a path to the vendor's manifest, relative to the plan file" },
      },
      required: ['name'],
      additionalProperties: false,
    },
    connections: { type: 'array', minItems: 1, items: connection, description: 'a list of the EHR connections to probe' },
    checks: {
      type: 'object',
      title: 'checks',
      properties: Object.fromEntries(CHECK_IDS.map((id) => [id, checkSettings(id, CHECK_CATALOG[id])])),
      additionalProperties: false,
    },
    gate: {
      type: 'object',
      title: 'gate',
      properties: {
        minScore: { type: 'number', minimum: 0, maximum: 100, description: 'a minimum overall score' },
        require: {
          type: 'array',
          uniqueItems: true,
          items: { enum: [...CHECK_IDS] },
          description: 'a list of checks that must pass',
        },
      },
      additionalProperties: false,
    },
    limits: {
      type: 'object',
      title: 'limits',
      properties: {
        requestsPerHost: {
          type: 'integer',
          minimum: 1,
          maximum: 100,
          default: LIMIT_DEFAULTS.requestsPerHost,
          description: 'a number of requests in flight at once to any one host, for the whole run (1 to 100)',
        },
      },
      additionalProperties: false,
    },
    certifications: { ...FILE_PATH, description: 'a path to the certification registry, relative to the plan file' },
    chpl: {
      type: 'object',
      title: 'chpl',
      properties: {
        baseUrl: { ...HTTP_URL, description: 'an http or https URL of the CHPL API' },
        apiKeyEnv: envVar('the CHPL API key'),
        exportFile: { ...FILE_PATH, description: 'a path to a CHPL export, relative to the plan file' },
      },
      additionalProperties: false,
    },
  },
  required: ['version', 'buyer', 'vendor', 'connections'],
  additionalProperties: false,
};
