// Schema validation with ajv. Each schema is compiled once, on first use, so commands that never validate
// (and `--help`) never pay for ajv.
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { InputProblem } from '../errors.js';
import type { Report } from '../model/report.js';
import { toProblems } from './messages.js';
import { reportRuleProblems } from './report-rules.js';
import { SCHEMAS, type SchemaName } from './schemas/index.js';

// ajv-formats is CommonJS: under NodeNext its default import is the plugin function at run time, but the
// type checker sees the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

let ajv: Ajv | undefined;
const validators = new Map<SchemaName, ValidateFunction>();

function validator(name: SchemaName): ValidateFunction {
  let validate = validators.get(name);
  if (!validate) {
    ajv ??= addFormats(
      new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, discriminator: true, verbose: true }),
      ['uri', 'date-time'],
    );
    validate = ajv.compile(SCHEMAS[name]);
    validators.set(name, validate);
  }
  return validate;
}

/** Problems of `doc` against the named schema, in plain words; empty when it is valid. */
export function schemaProblems(
  name: SchemaName,
  doc: unknown,
  file: string,
  ignore?: (field: string) => boolean,
): InputProblem[] {
  const validate = validator(name);
  return validate(doc) ? [] : toProblems(validate.errors ?? [], file, ignore);
}

/** A report this program built breaks its own contract: a bug, not bad input (so not an InputError). */
export class ReportContractError extends Error {
  constructor(readonly problems: InputProblem[]) {
    super(`the report breaks its schema:\n${problems.map((p) => `  ${p.field || '/'}: ${p.message}`).join('\n')}`);
    this.name = 'ReportContractError';
  }
}

/** For the report writer, before anything is written: the schema, then the rules only a writer must keep. */
export function validateReport(report: Report): void {
  const problems = schemaProblems('report', report, 'report');
  if (problems.length === 0) problems.push(...reportRuleProblems(report, 'report'));
  if (problems.length > 0) throw new ReportContractError(problems);
}
