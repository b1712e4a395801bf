// What the writer of a report must get right beyond its schema: readers accept any slug as a finding id
// (a 1.1 report may add one), but this version of ehr-check writes only the ids docs/report.md lists, each under
// its own check, with a connection exactly when the finding is judged per connection.
import type { InputProblem } from '../errors.js';
import { FINDINGS_BY_CHECK, RUN_LEVEL_FINDINGS, type CheckId, type FindingId, type Report } from '../model/report.js';
import { pointer } from './wording.js';

export function reportRuleProblems(report: Report, file: string): InputProblem[] {
  const problems: InputProblem[] = [];
  const seenChecks = new Set<CheckId>();
  report.checks.forEach((check, c) => {
    if (seenChecks.has(check.id)) problems.push({ file, field: pointer('checks', c, 'id'), message: `check "${check.id}" appears twice` });
    seenChecks.add(check.id);
    const allowed: readonly string[] = FINDINGS_BY_CHECK[check.id];
    check.findings.forEach((finding, i) => {
      const at = pointer('checks', c, 'findings', i);
      if (!allowed.includes(finding.id)) {
        problems.push({ file, field: `${at}/id`, message: `"${finding.id}" is not a finding of ${check.id} (expected one of: ${allowed.join(', ')})` });
        return;
      }
      const runLevel = RUN_LEVEL_FINDINGS.includes(finding.id as FindingId);
      if (runLevel && finding.connection !== undefined) {
        problems.push({ file, field: `${at}/connection`, message: `${finding.id} is judged once per run and takes no connection` });
      }
      if (!runLevel && finding.connection === undefined) {
        problems.push({ file, field: at, message: `${finding.id} is judged per connection and needs connection` });
      }
    });
  });
  // The headline must not contradict itself: a grade exactly when there is a score, and a verdict to match.
  if ((report.grade === null) !== (report.score === null)) {
    problems.push({ file, field: '/grade', message: report.score === null ? 'a report with no score is not evaluated and has grade null' : 'a scored report needs a grade' });
  }
  if (report.verdict && (report.verdict.status === 'graded') !== (report.score !== null)) {
    problems.push({ file, field: '/verdict/status', message: `"${report.verdict.status}" does not match score ${report.score}` });
  }
  return problems;
}
