import { NotYetAvailableError } from '../errors.js';
import type { Io } from '../cli/io.js';

export default async function assertCommand(_opts: unknown, _io: Io): Promise<number> {
  throw new NotYetAvailableError('`ehr-check assert` (assert on a saved report) is not built yet: it lands with issue 6.');
}
