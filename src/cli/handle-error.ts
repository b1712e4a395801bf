import { EhrCheckError, EXIT, InputError } from '../errors.js';
import type { Io } from './io.js';

/** The one place that turns a thrown error into a message and an exit code. */
export function handleError(error: unknown, io: Io): number {
  if (error instanceof InputError) {
    for (const p of error.problems) io.err(`ehr-check: ${p.field ? `${p.file}: ${p.field}` : p.file}: ${p.message}\n`);
    return error.exitCode;
  }
  if (error instanceof EhrCheckError) {
    io.err(`ehr-check: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.err(`ehr-check: internal error: ${message}\n`);
  return EXIT.cannotEvaluate;
}
