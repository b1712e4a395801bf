import { NotYetAvailableError } from '../errors.js';
import type { Io } from '../cli/io.js';

export default async function demoCommand(_opts: unknown, _io: Io): Promise<number> {
  throw new NotYetAvailableError('`ehr-check demo` (demo: reference vendors on embedded sandboxes) is not built yet: it lands with issue 3.');
}
