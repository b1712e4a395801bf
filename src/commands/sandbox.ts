import { NotYetAvailableError } from '../errors.js';
import type { Io } from '../cli/io.js';

export default async function sandboxCommand(_opts: unknown, _io: Io): Promise<number> {
  throw new NotYetAvailableError('`ehr-check sandbox` (the embedded EHR sandbox) is not built yet: it lands with issue 2.');
}
