import { NotYetAvailableError } from '../errors.js';
import type { Io } from '../cli/io.js';

export default async function initCommand(_opts: unknown, _io: Io): Promise<number> {
  throw new NotYetAvailableError('`ehr-check init` (the init wizard) is not built yet: it lands with issue 6.');
}
