// The contracts as code: schemas, loaders and validators. Only the commands that read input files import
// this, so ajv and yaml stay out of `--help`.
export { detectKind, loadManifest, loadPlan, loadRegistry, loadReport, validateFile } from './load.js';
export type { DocumentKind, LoadOptions, ValidatedFile } from './load.js';
export { ReportContractError, schemaProblems, validateReport } from './validate.js';
export { SCHEMA_NAMES, SCHEMAS, isSchemaName } from './schemas/index.js';
export type { JsonSchema, SchemaName } from './schemas/index.js';
export { CHECK_DEFAULTS } from './defaults.js';
