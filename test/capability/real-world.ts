// The real CapabilityStatements and SMART configurations of test/fixtures/real-world, paired by server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REAL_WORLD } from '../helpers/paths.js';

export const CAPABILITY_FILES = [
  'athenahealth-athenaone-r4.json',
  'careevolution-hiebus-r4.json',
  'eclinicalworks-fhir-facade-r4.json',
  'epic-advantagecare-stu3.json',
  'epic-ardent-dstu2.json',
  'epic-jefferson-health-r4.json',
  'meditech-greenfield-r4.json',
  'nextgen-enterprise-r4.json',
  'nextgen-office-r4.json',
  'oracle-health-millennium-open-r4.json',
  'oracle-health-millennium-r4.json',
  'veradigm-fhir-r4.json',
] as const;
export type CapabilityFile = (typeof CAPABILITY_FILES)[number];

export const SMART_FILES = [
  'athenahealth.json',
  'cerner-legacy.json',
  'eclinicalworks.json',
  'epic.json',
  'meditech.json',
  'nextgen-enterprise.json',
  'nextgen-office.json',
  'oracle-health-patient.json',
  'oracle-health.json',
  'veradigm.json',
] as const;
export type SmartFile = (typeof SMART_FILES)[number];

/** The SMART configuration served next to each statement, where the same server published one. */
export const SMART_FOR: Partial<Record<CapabilityFile, SmartFile>> = {
  'athenahealth-athenaone-r4.json': 'athenahealth.json',
  'eclinicalworks-fhir-facade-r4.json': 'eclinicalworks.json',
  'epic-jefferson-health-r4.json': 'epic.json',
  'meditech-greenfield-r4.json': 'meditech.json',
  'nextgen-enterprise-r4.json': 'nextgen-enterprise.json',
  'nextgen-office-r4.json': 'nextgen-office.json',
  'oracle-health-millennium-r4.json': 'oracle-health.json',
  'veradigm-fhir-r4.json': 'veradigm.json',
};

export const capabilityText = (file: string) => readFileSync(join(REAL_WORLD, 'capability', file), 'utf8');
export const smartText = (file: string) => readFileSync(join(REAL_WORLD, 'smart', file), 'utf8');
export const loadCapability = (file: string): unknown => JSON.parse(capabilityText(file));
export const loadSmart = (file: string): unknown => JSON.parse(smartText(file));
