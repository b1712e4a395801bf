import { EhrCheckError, EXIT, InputError } from '../errors.js';
import type { Io } from './io.js';

/** A Node system error (ENOENT, EACCES, ENOSPC, ...) says what the machine refused, not what the code got wrong. */
function systemErrorText(error: unknown): string | undefined {
  const e = error as NodeJS.ErrnoException;
  if (!(error instanceof Error) || typeof e.code !== 'string' || !/^E[A-Z0-9]+$/.test(e.code) || typeof e.syscall !== 'string') return undefined;
  const reason = /^E[A-Z0-9]+: ([^,]+)/.exec(e.message)?.[1] ?? e.code;
  return `could not ${e.syscall}${e.path ? ` ${e.path}` : ''} (${e.code}: ${reason}); check that the path exists and this user may use it`;
}

/** The one place that turns a thrown error into a message and an exit code. */
export function handleError(error: unknown, io: Io): number {
  if (error instanceof InputError) {
    for (const p of error.problems) io.err(`ehr-check: ${p.field ? `${p.file}: ${p.field}` : p.file}: ${p.message}\n`);
    return error.exitCode;
  }
  if (error instanceof EhrCheckError) {
    for (const line of error.message.split('\n')) io.err(`ehr-check: ${line}\n`);
    return error.exitCode;
  }
  const system = systemErrorText(error);
  if (system) {
    io.err(`ehr-check: ${system}\n`);
    return EXIT.cannotEvaluate;
  }
  // Anything else is a bug in ehr-check: the stack is what its maintainers need, so it is shown, with how to report it.
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.err(`ehr-check: internal error (a bug in ehr-check, not in your input): ${message}\n`);
  io.err('ehr-check: please report it with the command you ran, this message, and the --json report if one was written.\n');
  return EXIT.cannotEvaluate;
}
