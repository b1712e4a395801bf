import { NotYetAvailableError } from '../errors.js';
import type { Io } from '../cli/io.js';

export default async function compareCommand(_opts: unknown, _io: Io): Promise<number> {
  throw new NotYetAvailableError('`ehr-check compare` (compare of saved reports) is not built yet: it lands with issue 6.');
}
