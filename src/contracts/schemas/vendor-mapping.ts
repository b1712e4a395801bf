// JSON Schema of a vendor mapping file (docs/vendor-kinds/http.md): how each thing ehr-check asks of an `http`
// vendor becomes a request to its own REST API, and how its answer is read (JSONata expressions). Loaded and
// checked by src/vendor/http/mapping.ts, which also compiles every expression and checks every placeholder.
import { EDITOR_SCHEMA_REF, text, type JsonSchema } from './common.js';

export const MAPPING_OPERATIONS = ['freeSlots', 'book', 'findBooking', 'cancel', 'registerPatient', 'bookingStatus', 'webhook'] as const;

const EXPRESSION = text('a JSONata expression, read against the answer\'s JSON body ($status and $headers are bound too)');
const TEMPLATE = text('a text with {{placeholders}}, e.g. "/appointments/{{booking.id}}"');
const TEMPLATES = {
  type: 'object',
  description: 'names and {{placeholder}} texts',
  additionalProperties: TEMPLATE,
};

const REQUEST: JsonSchema = {
  type: 'object',
  title: 'request',
  description: 'the request to send',
  properties: {
    method: { enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], description: 'the HTTP method' },
    path: { ...TEMPLATE, description: 'the path under the plan\'s baseUrl, with {{placeholders}}, e.g. "/appointments/{{booking.id}}"' },
    query: { ...TEMPLATES, description: 'query parameters: names and {{placeholder}} texts' },
    headers: { ...TEMPLATES, description: 'extra headers: names and {{placeholder}} texts (secrets only as {{env.NAME}})' },
    body: { description: 'the JSON body: any value whose texts may hold {{placeholders}}; a text that is one placeholder keeps its value\'s type' },
  },
  required: ['method', 'path'],
  additionalProperties: false,
};

function readers(title: string, fields: Record<string, string>, required: string[]): JsonSchema {
  return {
    type: 'object',
    title,
    description: `how to read the answer: ${Object.keys(fields).join(', ')}`,
    properties: Object.fromEntries(Object.entries(fields).map(([k, what]) => [k, { ...EXPRESSION, description: `a JSONata expression giving ${what}` }])),
    required,
    additionalProperties: false,
  };
}

function operation(title: string, answer: JsonSchema | undefined, extra: Record<string, JsonSchema> = {}): JsonSchema {
  const properties: Record<string, JsonSchema> = { request: REQUEST, ...extra };
  if (answer) properties.answer = answer;
  return { type: 'object', title, description: `the ${title}`, properties, required: (answer?.required as string[] | undefined)?.length ? ['request', 'answer'] : ['request'], additionalProperties: false };
}

const STATE = "the booking's state: \"pending\" (accepted, not written yet), \"complete\" or \"failed\"";

const POLL: JsonSchema = { type: 'number', minimum: 0.05, maximum: 60, description: 'seconds between two status reads, from 0.05 to 60 (default 0.5)' };

export const VENDOR_MAPPING_SCHEMA: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:ehr-check:schema:vendor-mapping:1',
  title: 'vendor-mapping',
  type: 'object',
  description: "how ehr-check speaks to a vendor's own REST API",
  properties: {
    $schema: EDITOR_SCHEMA_REF,
    version: { const: 1, description: 'the mapping format version, 1' },
    vendor: text("the vendor's API, for messages, e.g. \"Example scheduling API v2\""),
    idempotencyKeyHeader: text('the header the vendor honours as an idempotency key (the booking key is sent in it); leave out when it honours none'),
    operations: {
      type: 'object',
      title: 'operations',
      description: `the operations the vendor offers: ${MAPPING_OPERATIONS.join(', ')}`,
      properties: {
        freeSlots: operation('freeSlots operation', readers('freeSlots answer', { slots: "the free slots, each {id?, foreignId?, start, end}" }, ['slots'])),
        book: operation('book operation', readers('book answer', { id: "the vendor's id of the booking", accepted: 'whether the vendor took the booking (default: a 2xx status)', state: STATE }, [])),
        findBooking: operation('findBooking operation', readers('findBooking answer', { bookings: "the vendor's records of the booking, each {id?, state?, start?, end?}" }, ['bookings'])),
        cancel: operation('cancel operation', readers('cancel answer', { accepted: 'whether the vendor took the cancellation (default: a 2xx status)' }, [])),
        registerPatient: operation('registerPatient operation', readers('registerPatient answer', { id: "the patient's id, the EHR's where the vendor gives it" }, [])),
        bookingStatus: operation('bookingStatus operation', readers('bookingStatus answer', { state: STATE, foreignId: "the EHR's id of the booking once written" }, ['state']), {
          intervalSeconds: POLL,
        }),
        webhook: {
          type: 'object',
          title: 'webhook',
          description: 'how the vendor reports that an accepted booking was written: ehr-check listens on loopback for the run',
          properties: {
            register: operation('webhook registration', readers('webhook registration answer', { id: "the vendor's id of the registration" }, [])),
            unregister: operation('webhook removal', undefined),
            event: readers('webhook event', { id: "the vendor's id of the booking the event is about", state: STATE }, ['id', 'state']),
          },
          required: ['event'],
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
  },
  required: ['version', 'operations'],
  additionalProperties: false,
};
