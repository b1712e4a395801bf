// `ehr-check schema NAME`: prints a published JSON Schema, for editors, CI linters and other tools.
import type { Io } from '../cli/io.js';
import { UsageError } from '../errors.js';
import { SCHEMA_NAMES, SCHEMAS, isSchemaName } from '../contracts/schemas/index.js';

export default async function schemaCommand(opts: { name: string }, io: Io): Promise<number> {
  if (!isSchemaName(opts.name)) {
    throw new UsageError(`unknown schema "${opts.name}": choose one of ${SCHEMA_NAMES.join(', ')}`);
  }
  io.out(`${JSON.stringify(SCHEMAS[opts.name], null, 2)}\n`);
  return 0;
}
