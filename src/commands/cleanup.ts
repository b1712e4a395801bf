import { NotYetAvailableError } from '../errors.js';
import type { Io } from '../cli/io.js';

export default async function cleanupCommand(_opts: unknown, _io: Io): Promise<number> {
  throw new NotYetAvailableError('`ehr-check cleanup` (cleanup from the run ledger) is not built yet: it lands with issue 3.');
}
