// The published schemas by name, as `ehr-check schema NAME` prints them.
import { MANIFEST_SCHEMA } from './manifest.js';
import { PLAN_SCHEMA } from './plan.js';
import { REGISTRY_SCHEMA } from './registry.js';
import { REPORT_SCHEMA } from './report.js';
import { VENDOR_MAPPING_SCHEMA } from './vendor-mapping.js';
import type { JsonSchema } from './common.js';

export type SchemaName = 'plan' | 'manifest' | 'registry' | 'report' | 'vendor-mapping';
export const SCHEMA_NAMES: readonly SchemaName[] = ['plan', 'manifest', 'registry', 'report', 'vendor-mapping'];

export const SCHEMAS: Record<SchemaName, JsonSchema> = {
  plan: PLAN_SCHEMA,
  manifest: MANIFEST_SCHEMA,
  registry: REGISTRY_SCHEMA,
  report: REPORT_SCHEMA,
  'vendor-mapping': VENDOR_MAPPING_SCHEMA,
};

export function isSchemaName(name: string): name is SchemaName {
  return (SCHEMA_NAMES as readonly string[]).includes(name);
}

export type { JsonSchema } from './common.js';
