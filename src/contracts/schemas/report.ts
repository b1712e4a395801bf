// JSON Schema of the report (docs/report.md, src/model/report.ts). Reports are versioned 1.x and may grow new
// fields, so objects stay open; every stable field is required with its type. Finding ids are checked as
// slugs here (a 1.1 report may add one) and against the known list by validateReport, on the writer's side.
import { VENDOR_KINDS } from './vendor-endpoint.js';
import { CHECK_IDS } from '../../model/report.js';
import type { JsonSchema } from './common.js';

const STATUS = { enum: ['pass', 'warn', 'fail', 'error', 'skip'], description: 'a status: pass, warn, fail, error or skip' };
const CHECK_ID = { enum: [...CHECK_IDS], description: 'a check id' };
const STRING = { type: 'string' };
const COUNT = { type: 'integer', minimum: 0 };
const MS_OR_NULL = { type: ['number', 'null'], minimum: 0 };

const LAG_EVIDENCE: JsonSchema = {
  type: 'object',
  properties: {
    p50Ms: MS_OR_NULL,
    p95Ms: MS_OR_NULL,
    maxMs: MS_OR_NULL,
    trials: COUNT,
    censored: COUNT,
    class: { enum: ['real-time', 'near-real-time', 'delayed', 'stale'] },
  },
  required: ['p50Ms', 'p95Ms', 'maxMs', 'trials', 'censored', 'class'],
};

const FINDING: JsonSchema = {
  type: 'object',
  title: 'finding',
  properties: {
    id: { type: 'string', pattern: '^[a-z][a-z0-9-]*$', description: 'a finding id such as "write-lands"' },
    connection: { type: 'string', minLength: 1, description: 'a connection id such as "epic" or "epic#2"' },
    status: STATUS,
    title: STRING,
    message: STRING,
    evidence: { type: 'object' },
  },
  required: ['id', 'status', 'title', 'message', 'evidence'],
  // A judged lag finding always carries its six stable numbers (docs/report.md).
  if: {
    properties: { id: { enum: ['ehr-to-vendor-lag', 'vendor-to-ehr-lag'] }, status: { enum: ['pass', 'warn', 'fail'] } },
    required: ['id', 'status'],
  },
  then: { properties: { evidence: LAG_EVIDENCE } },
};

const CHECK: JsonSchema = {
  type: 'object',
  title: 'check result',
  properties: {
    id: CHECK_ID,
    title: STRING,
    status: STATUS,
    score: { type: ['number', 'null'], minimum: 0, maximum: 1, description: 'a score 0..1, or null when unscored' },
    weight: { type: 'number', minimum: 0 },
    findings: { type: 'array', items: FINDING },
  },
  required: ['id', 'title', 'status', 'score', 'weight', 'findings'],
};

const COVERAGE_ROW: JsonSchema = {
  type: 'object',
  properties: {
    system: STRING,
    displayName: STRING,
    claimed: { type: 'boolean' },
    buyerRuns: { type: 'boolean' },
    live: { type: ['boolean', 'null'] },
    certified: { enum: ['verified', 'claimed', 'lapsed', 'none'] },
  },
  required: ['system', 'claimed', 'buyerRuns'],
};

export const REPORT_SCHEMA: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:ehr-check:schema:report:1',
  title: 'report',
  description: 'An ehr-check report, schemaVersion 1.x. Fields may be added within 1.x; none of these is renamed.',
  type: 'object',
  properties: {
    schemaVersion: { type: 'string', pattern: '^1\\.\\d+$', description: 'a report version "1.x"' },
    tool: {
      type: 'object',
      properties: { name: { const: 'ehr-check' }, version: STRING },
      required: ['name', 'version'],
    },
    runId: { type: 'string', minLength: 1 },
    startedAt: { type: 'string', format: 'date-time', description: 'an ISO 8601 date and time' },
    finishedAt: { type: 'string', format: 'date-time', description: 'an ISO 8601 date and time' },
    vendor: { type: 'object', properties: { name: STRING }, required: ['name'] },
    buyer: { type: 'object', properties: { name: STRING }, required: ['name'] },
    score: { type: ['number', 'null'], minimum: 0, maximum: 100, description: 'an overall score 0..100, or null' },
    grade: { enum: ['A', 'B', 'C', 'D', 'F', null], description: 'a grade A..F, or null (1.1) when not evaluated' },
    gate: {
      type: 'object',
      properties: {
        minScore: { type: ['number', 'null'], minimum: 0, maximum: 100 },
        require: { type: 'array', items: CHECK_ID },
        passed: { type: 'boolean' },
        reasons: { type: 'array', items: STRING },
      },
      required: ['minScore', 'require', 'passed', 'reasons'],
    },
    checks: { type: 'array', items: CHECK },
    findings: { type: 'array', items: FINDING },
    connections: {
      type: 'array',
      items: {
        type: 'object',
        properties: { system: STRING, ehrBaseUrl: STRING, vendorKind: { enum: [...VENDOR_KINDS] }, vendorBaseUrl: STRING, live: { type: 'boolean' } },
        required: ['system', 'ehrBaseUrl', 'vendorBaseUrl', 'live'],
      },
    },
    cleanup: {
      type: 'object',
      properties: {
        created: COUNT,
        removed: COUNT,
        leftover: { type: 'array', items: STRING },
        // Counted under their own names, so created = writes, removed + leftover records = created.
        removedByProbe: COUNT,
        foundByIdentifier: COUNT,
        foundByTag: COUNT,
        writesWithoutRecord: COUNT,
        slotsTouched: COUNT,
        restored: COUNT,
        otherLeftover: COUNT,
      },
      required: ['created', 'removed', 'leftover'],
    },
    partial: { type: 'boolean' },
    coverage: {
      type: 'object',
      properties: {
        matrix: { type: 'array', items: COVERAGE_ROW },
        claimedSystemCount: { type: ['integer', 'null'], minimum: 0 },
        verifiedCount: COUNT,
      },
      required: ['matrix', 'claimedSystemCount', 'verifiedCount'],
    },
    roi: { type: ['object', 'null'] },
    // 1.1: the vendor's result apart from the gate, and how much of it stands on evidence.
    verdict: {
      type: 'object',
      properties: {
        status: { enum: ['graded', 'not-evaluated'], description: 'graded or not-evaluated' },
        reason: { type: ['string', 'null'] },
      },
      required: ['status', 'reason'],
    },
    confidence: {
      type: 'object',
      properties: { judged: COUNT, total: COUNT, share: { type: ['number', 'null'], minimum: 0, maximum: 1 } },
      required: ['judged', 'total', 'share'],
    },
    writes: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          connection: STRING,
          target: { enum: ['ehr', 'vendor'] },
          removed: { type: 'boolean' },
          removedBy: { enum: ['probe', 'cleanup'] },
          queued: { type: 'boolean' },
        },
        required: ['connection', 'target', 'removed'],
      },
    },
  },
  required: [
    'schemaVersion', 'tool', 'runId', 'startedAt', 'finishedAt', 'vendor', 'buyer',
    'score', 'grade', 'gate', 'checks', 'connections', 'cleanup',
  ],
};
