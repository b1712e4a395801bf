// A vendor mapping file (docs/vendor-kinds/http.md): read as YAML or JSON, checked against its schema
// (src/contracts/schemas/vendor-mapping.ts), every placeholder checked against what a request may name, and, at plan
// load, every JSONata expression compiled. Any problem is an InputError naming the file, the field and the fix.
import { InputError, type InputProblem } from '../../errors.js';
import { readDocumentSync } from '../../contracts/read.js';
import { schemaProblems } from '../../contracts/validate.js';
import { pointer } from '../../contracts/wording.js';
import { MAPPING_OPERATIONS } from '../../contracts/schemas/vendor-mapping.js';
import { namesUnder, PLACEHOLDER_ROOTS, placeholdersIn } from './template.js';

export type OperationName = (typeof MAPPING_OPERATIONS)[number];

export interface MappingRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
}

/** One operation: the request, and JSONata expressions reading its answer, by what they give. */
export interface MappingOperation<R extends string = string> {
  request: MappingRequest;
  answer?: Partial<Record<R, string>>;
}

export interface VendorMapping {
  version: 1;
  vendor?: string;
  idempotencyKeyHeader?: string;
  operations: {
    freeSlots?: MappingOperation<'slots'>;
    book?: MappingOperation<'id' | 'accepted' | 'state'>;
    findBooking?: MappingOperation<'bookings'>;
    cancel?: MappingOperation<'accepted'>;
    registerPatient?: MappingOperation<'id'>;
    bookingStatus?: MappingOperation<'state' | 'foreignId'> & { intervalSeconds?: number };
    webhook?: { register?: MappingOperation<'id'>; unregister?: MappingOperation; event: Record<'id' | 'state', string> };
  };
}

/** A loaded mapping and how messages name its file. */
export interface LoadedMapping {
  file: string;
  mapping: VendorMapping;
}

/** Every JSONata expression of the mapping, by its field's pointer. */
export function expressionsOf(mapping: VendorMapping): Array<{ field: string; expression: string }> {
  const found: Array<{ field: string; expression: string }> = [];
  const ops = mapping.operations as Record<string, unknown>;
  for (const name of MAPPING_OPERATIONS) {
    const op = ops[name] as { answer?: Record<string, string>; register?: { answer?: Record<string, string> }; event?: Record<string, string> } | undefined;
    for (const [key, expression] of Object.entries(op?.answer ?? {})) found.push({ field: pointer('operations', name, 'answer', key), expression });
    for (const [key, expression] of Object.entries(op?.register?.answer ?? {})) found.push({ field: pointer('operations', name, 'register', 'answer', key), expression });
    for (const [key, expression] of Object.entries(op?.event ?? {})) found.push({ field: pointer('operations', name, 'event', key), expression });
  }
  return found;
}

/** Every request of the mapping, by its field's pointer. */
export function requestsOf(mapping: VendorMapping): Array<{ field: string; request: MappingRequest }> {
  const ops = mapping.operations;
  const all: Array<[string[], MappingOperation | undefined]> = [
    ...MAPPING_OPERATIONS.filter((n) => n !== 'webhook').map((n): [string[], MappingOperation | undefined] => [[n], ops[n as Exclude<OperationName, 'webhook'>]]),
    [['webhook', 'register'], ops.webhook?.register],
    [['webhook', 'unregister'], ops.webhook?.unregister],
  ];
  return all.flatMap(([at, op]) => (op ? [{ field: pointer('operations', ...at, 'request'), request: op.request }] : []));
}

function placeholderProblems(mapping: VendorMapping, file: string): InputProblem[] {
  const roots = new Set<string>(PLACEHOLDER_ROOTS);
  return requestsOf(mapping).flatMap(({ field, request }) =>
    (['path', 'query', 'headers', 'body'] as const).flatMap((part) =>
      placeholdersIn(request[part]).flatMap((name): InputProblem[] => {
        if (name.startsWith('!')) return [{ file, field: `${field}/${part}`, message: `"${name.slice(1)}" has a malformed placeholder: write {{name}} or {{name.field}}, e.g. {{slot.start}}` }];
        if (roots.has(name.split('.')[0]!)) return [];
        return [{ file, field: `${field}/${part}`, message: `unknown placeholder {{${name}}}: a placeholder starts with one of ${PLACEHOLDER_ROOTS.join(', ')}` }];
      }),
    ),
  );
}

/** Reads and checks a mapping file (schema and placeholders), synchronously; JSONata is compiled at plan load. */
export function loadMapping(path: string, file = path): LoadedMapping {
  const doc = readDocumentSync(path, file);
  const problems = schemaProblems('vendor-mapping', doc, file);
  if (problems.length > 0) throw new InputError(problems);
  const { $schema: _editor, ...mapping } = doc as VendorMapping & { $schema?: string };
  const placeholders = placeholderProblems(mapping, file);
  if (placeholders.length > 0) throw new InputError(placeholders);
  return { file, mapping };
}

/**
 * Everything wrong with a connection's mapping, as plan load reports it: the file's own problems, every JSONata
 * expression that does not compile, and (given the plan's connection) every `{{params.NAME}}` its `vendor.params` lacks.
 */
export async function mappingProblems(path: string, file: string, plan?: { file: string; field: string; params?: Record<string, unknown> }): Promise<InputProblem[]> {
  let loaded: LoadedMapping;
  try {
    loaded = loadMapping(path, file);
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
  const { default: jsonata } = await import('jsonata');
  const problems: InputProblem[] = [];
  for (const { field, expression } of expressionsOf(loaded.mapping)) {
    try {
      jsonata(expression);
    } catch (error) {
      const e = error as { message?: string; position?: number };
      problems.push({ file, field, message: `not a JSONata expression (${e.message ?? String(error)}${e.position !== undefined ? ` at character ${e.position}` : ''}): write one such as "data.{ 'start': start_time }"` });
    }
  }
  if (!plan) return problems;
  const given = new Set(Object.keys(plan.params ?? {}));
  const wanted = new Set(requestsOf(loaded.mapping).flatMap(({ request }) => namesUnder('params', request)));
  for (const name of wanted) {
    if (!given.has(name)) problems.push({ file: plan.file, field: plan.field, message: `the mapping ${file} uses {{params.${name}}}: give ${name} under vendor.params` });
  }
  return problems;
}
