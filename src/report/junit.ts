// JUnit XML for CI servers: one <testsuite> per check, one <testcase> per finding and connection.
// fail → <failure>, error → <error>, skip → <skipped>; warn passes, with the concern in <system-out>.
// Then the CI gate, as its own suite with one test case, apart from the findings: a CI server shows whether
// the pipeline's rule held without the reader mistaking it for a finding (or the vendor's grade for it).
import type { CheckResult, Finding, Report } from '../model/report.js';
import { escapeXml as x } from './escape.js';
import { GATE_LABEL, headline } from './headline.js';

export function formatJUnit(report: Report): string {
  const suites = [...report.checks.map((check) => suite(check, report.startedAt)), gateSuite(report)];
  const total = (pick: (c: Counts) => number) => suites.reduce((sum, s) => sum + pick(s.counts), 0);
  const name = `ehr-check: ${report.vendor.name}`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${x(name)}" tests="${total((c) => c.tests)}" failures="${total((c) => c.failures)}" ` +
      `errors="${total((c) => c.errors)}" skipped="${total((c) => c.skipped)}" time="${seconds(report)}">`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function suite(check: CheckResult, timestamp: string): { xml: string; counts: Counts } {
  const counts: Counts = {
    tests: check.findings.length,
    failures: check.findings.filter((f) => f.status === 'fail').length,
    errors: check.findings.filter((f) => f.status === 'error').length,
    skipped: check.findings.filter((f) => f.status === 'skip').length,
  };
  const score = check.score === null ? 'none' : String(Math.round(check.score * 100));
  const xml = [
    `  <testsuite name="${x(check.id)}" tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" ` +
      `skipped="${counts.skipped}" timestamp="${x(timestamp.replace(/Z$/, ''))}">`,
    '    <properties>',
    `      <property name="title" value="${x(check.title)}"/>`,
    `      <property name="status" value="${x(check.status)}"/>`,
    `      <property name="score" value="${score}"/>`,
    `      <property name="weight" value="${x(check.weight)}"/>`,
    '    </properties>',
    ...check.findings.map((f) => testcase(check, f)),
    '  </testsuite>',
  ].join('\n');
  return { xml, counts };
}

function gateSuite(report: Report): { xml: string; counts: Counts } {
  const head = headline(report);
  const gate = report.gate;
  const counts: Counts = { tests: 1, failures: gate.passed ? 0 : 1, errors: 0, skipped: 0 };
  const result = head.evaluated ? `${head.result}${head.basis ? ` (${head.basis})` : ''}` : `not evaluated: ${head.reason}`;
  const out = `Vendor result: ${result}. ${head.gate.text}`;
  const open = `    <testcase classname="ehr-check.gate" name="${x(GATE_LABEL)}" time="0.000"`;
  const body = gate.passed
    ? `      <system-out>${x(out)}</system-out>`
    : `      <failure message="${x(head.gate.reasons.join('; '))}" type="gate">${x(out)}</failure>`;
  const xml = [
    `  <testsuite name="gate" tests="1" failures="${counts.failures}" errors="0" skipped="0" timestamp="${x(report.startedAt.replace(/Z$/, ''))}">`,
    '    <properties>',
    `      <property name="minScore" value="${gate.minScore === null ? 'none' : x(gate.minScore)}"/>`,
    `      <property name="require" value="${x(gate.require.join(','))}"/>`,
    `      <property name="vendorResult" value="${x(head.evaluated ? head.result : 'not evaluated')}"/>`,
    '    </properties>',
    `${open}>`,
    body,
    '    </testcase>',
    '  </testsuite>',
  ].join('\n');
  return { xml, counts };
}

function testcase(check: CheckResult, f: Finding): string {
  const name = f.connection ? `${f.id} [${f.connection}]` : f.id;
  const open = `    <testcase classname="ehr-check.${x(check.id)}" name="${x(name)}" time="${requestSeconds(f)}"`;
  const title = `${f.title}: ${f.message}`;
  switch (f.status) {
    case 'pass':
      return `${open}/>`;
    case 'warn':
      return `${open}>\n      <system-out>warn: ${x(title)}</system-out>\n    </testcase>`;
    case 'fail':
      return `${open}>\n      <failure message="${x(f.message)}" type="fail">${x(title)}</failure>\n    </testcase>`;
    case 'error':
      return `${open}>\n      <error message="${x(f.message)}" type="error">${x(title)}</error>\n    </testcase>`;
    case 'skip':
      return `${open}>\n      <skipped message="${x(f.message)}"/>\n    </testcase>`;
  }
}

/** The time a finding took, as the sum of the HTTP exchanges that decided it (0 when none were kept). */
function requestSeconds(f: Finding): string {
  const requests = Array.isArray(f.evidence?.requests) ? (f.evidence.requests as Array<{ durationMs?: unknown }>) : [];
  const ms = requests.reduce((sum, r) => sum + (typeof r?.durationMs === 'number' && Number.isFinite(r.durationMs) ? r.durationMs : 0), 0);
  return (ms / 1000).toFixed(3);
}

function seconds(report: Report): string {
  const ms = Date.parse(report.finishedAt) - Date.parse(report.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? (ms / 1000).toFixed(3) : '0.000';
}
