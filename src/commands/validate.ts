import { NotYetAvailableError } from '../errors.js';
import type { Io } from '../cli/io.js';

export default async function validateCommand(_opts: unknown, _io: Io): Promise<number> {
  throw new NotYetAvailableError('`ehr-check validate` (validate) is not built yet: it lands with issue 2.');
}
