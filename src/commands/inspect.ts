import { NotYetAvailableError } from '../errors.js';
import type { Io } from '../cli/io.js';

export default async function inspectCommand(_opts: unknown, _io: Io): Promise<number> {
  throw new NotYetAvailableError('`ehr-check inspect` (inspect) is not built yet: it lands with issue 7.');
}
