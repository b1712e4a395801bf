// Typed errors: commands throw these, and only bin/ turns them into exit codes (see src/cli/handle-error.ts).

export const EXIT = { ok: 0, gateFailed: 1, usage: 2, cannotEvaluate: 3, interrupted: 130 } as const;

/** One problem with one input file: which file, which field, what is expected. */
export interface InputProblem {
  file: string;
  /** JSON-pointer-like path of the field, e.g. `/connections/0/ehr/auth/type`; `` for the whole file. */
  field: string;
  message: string;
}

export class EhrCheckError extends Error {
  readonly exitCode: number = EXIT.usage;
}

/** Bad command-line usage: exit 2. */
export class UsageError extends EhrCheckError {
  override readonly exitCode = EXIT.usage;
}

/** An input file (plan, manifest, registry, report, operator script) is missing or invalid: exit 2. */
export class InputError extends EhrCheckError {
  override readonly exitCode = EXIT.usage;
  constructor(readonly problems: InputProblem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}

/** The evaluation could not be carried out (e.g. no connection reachable): exit 3. */
export class CannotEvaluateError extends EhrCheckError {
  override readonly exitCode = EXIT.cannotEvaluate;
}

/**
 * A report file asked for could not be written at the end (disk full, folder gone): the others were written.
 * Exit 3, since the evaluation's result did not reach where it was asked to go.
 */
export class ReportNotWrittenError extends EhrCheckError {
  override readonly exitCode = EXIT.cannotEvaluate;
}

/** SIGINT/SIGTERM during a run: cleanup ran, a partial report was written: exit 130. */
export class InterruptedError extends EhrCheckError {
  override readonly exitCode = EXIT.interrupted;
}

export function formatProblem(p: InputProblem): string {
  const where = p.field ? `${p.file}: ${p.field}` : p.file;
  return `${where}: ${p.message}`;
}
