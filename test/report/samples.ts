// The sample reports of fixtures/reports, and a hostile variant whose strings try to break every format.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../../src/model/report.js';
import { REPO } from '../helpers/paths.js';

export const SAMPLE_NAMES = ['deep', 'shallow', 'batch', 'error', 'partial'] as const;
export type SampleName = (typeof SAMPLE_NAMES)[number];

export const samplePath = (name: SampleName) => join(REPO, 'fixtures', 'reports', `${name}.json`);

/** A fresh copy each call, so a test may change it freely. */
export function sample(name: SampleName): Report {
  return JSON.parse(readFileSync(samplePath(name), 'utf8')) as Report;
}

export const SCRIPT = '<script>window.__pwned = 1</script>';
export const HOSTILE_MESSAGE = `${SCRIPT} "quoted" & 'single' <b>bold</b> ]]> \u0007bell \u001b[31mred\u001b[0m | a | [link](http://evil.test) *x*`;
export const HOSTILE_VENDOR = 'Evil "Vendor" <img src=x onerror="window.__pwned=2">';

/** The shallow sample, with hostile text where an endpoint or a plan could have put it. */
export function hostileReport(): Report {
  const report = sample('shallow');
  report.vendor.name = HOSTILE_VENDOR;
  report.buyer.name = 'Buyer </title><script>window.__pwned=3</script>';
  const failing = report.checks[0]!.findings.find((f) => f.status === 'fail')!;
  failing.message = HOSTILE_MESSAGE;
  failing.evidence = {
    ...failing.evidence,
    serverSaid: `</pre>${SCRIPT}`,
    requests: [{ method: 'GET', url: `http://127.0.0.1:9/x?q="><svg onload="window.__pwned=4">`, status: 500, durationMs: 3, at: report.startedAt }],
  };
  report.gate.reasons.push(`reason with ${SCRIPT}`);
  report.cleanup.leftover = [`Appointment/x: ${SCRIPT}`];
  return report;
}

/** Every finding of a report, with its check. */
export const allFindings = (report: Report) => report.checks.flatMap((check) => check.findings.map((finding) => ({ check, finding })));

/** Terminal columns of a line without ANSI codes (every character the formatters draw is one column wide). */
export const columns = (line: string) => [...line.replace(/\u001b\[[0-9;]*m/g, '')].length;
