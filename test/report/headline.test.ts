// The headline, terminal and HTML, in the four situations a committee must never misread (headline-cases.ts):
// the vendor's result first, coloured by its grade; the CI gate on its own labelled line, coloured by its own
// result; "not evaluated" as neither. Leaves test-output/headline-<case>.html and .txt to look at.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../src/contracts/validate.js';
import type { Report } from '../../src/model/report.js';
import { formatHtml } from '../../src/report/html.js';
import { formatMarkdown } from '../../src/report/markdown.js';
import { formatTerminal } from '../../src/report/terminal.js';
import { REPO } from '../helpers/paths.js';
import { HEADLINE_CASES, headlineReports, type HeadlineCase } from './headline-cases.js';

const OUT = join(REPO, 'test-output');
const COLOURS: Record<string, string> = { '31': 'red', '32': 'green', '33': 'yellow' };

/** The colour in force where `text` starts on a coloured line: the last colour code before it, if not reset. */
function colourAt(line: string, text: string): string | null {
  const at = line.indexOf(text);
  expect(at, `"${text}" in ${JSON.stringify(line)}`).toBeGreaterThanOrEqual(0);
  const codes = [...line.slice(0, at).matchAll(/\u001b\[(\d+)m/g)].map((m) => m[1]!);
  const last = codes.filter((c) => COLOURS[c] || c === '39').pop();
  return last && COLOURS[last] ? COLOURS[last]! : null;
}

const colours = (line: string) => [...line.matchAll(/\u001b\[(31|32|33)m/g)].map((m) => COLOURS[m[1]!]);
const headerOf = (html: string) => html.slice(html.indexOf('<header class="verdict'), html.indexOf('</header>'));
const gateOf = (html: string) => html.slice(html.indexOf('<div class="gate'), html.indexOf('</div></div>', html.indexOf('<div class="gate')));
const findings = (r: Report) => r.checks.flatMap((c) => c.findings);

describe('the headline in four situations, each a real evaluation on loopback', () => {
  let reports: Record<HeadlineCase, Report>;
  // Lines as the reader sees them, with a wrapped line's continuation ("  …") joined back on.
  const plain = (c: HeadlineCase) => formatTerminal(reports[c], { color: false }).replace(/\n {2}(?=\S)/g, ' ').split('\n');
  const coloured = (c: HeadlineCase) => formatTerminal(reports[c], { color: true }).split('\n');

  beforeAll(async () => {
    reports = await headlineReports();
    mkdirSync(OUT, { recursive: true });
    for (const c of HEADLINE_CASES) {
      writeFileSync(join(OUT, `headline-${c}.html`), formatHtml(reports[c]));
      writeFileSync(join(OUT, `headline-${c}.txt`), formatTerminal(reports[c], { color: false }));
    }
  }, 120_000);

  it('every report is valid, and carries its verdict and confidence', () => {
    for (const c of HEADLINE_CASES) {
      expect(() => validateReport(reports[c]), c).not.toThrow();
      expect(reports[c].schemaVersion).toBe('1.2');
      expect(reports[c].confidence!.total, c).toBe(findings(reports[c]).length);
    }
  });

  it('all pass, gate passed: a green A, and a green gate line', () => {
    const r = reports['all-pass'];
    expect(findings(r).every((f) => f.status === 'pass')).toBe(true);
    expect(r).toMatchObject({ score: 100, grade: 'A', verdict: { status: 'graded', reason: null }, gate: { passed: true } });
    expect(r.confidence).toEqual({ judged: findings(r).length, total: findings(r).length, share: 1 });
    expect(plain('all-pass').slice(0, 2)).toEqual([
      `Deepwater Scheduling: grade A, 100/100 · based on all ${findings(r).length} findings`,
      'CI gate: passed (min score 70; required: bidirectional)',
    ]);
    const [head, gate] = coloured('all-pass');
    expect(colourAt(head!, 'grade A')).toBe('green');
    expect(colourAt(gate!, 'passed')).toBe('green');
    const html = formatHtml(r);
    expect(headerOf(html)).toContain('class="verdict band-good"');
    expect(headerOf(html)).toContain('class="grade grade-A"');
    expect(headerOf(html)).not.toContain('data-testid="unjudged"');
    expect(gateOf(html)).toContain('class="gate gate-passed"');
  });

  it('every probe passes but no certification is claimed: a green A beside a red gate line, never a red card', () => {
    const r = reports.certification;
    const certification = findings(r).filter((f) => f.id === 'certification');
    expect(certification.map((f) => [f.connection, f.status, f.message])).toEqual([
      ['epic', 'fail', 'no certification is claimed for epic, a system the buyer runs'],
      ['eclinicalworks', 'fail', 'no certification is claimed for eclinicalworks, a system the buyer runs'],
    ]);
    expect(findings(r).filter((f) => f.id !== 'certification').every((f) => f.status === 'pass')).toBe(true);
    expect(r).toMatchObject({ score: 93.3, grade: 'A', verdict: { status: 'graded' } });
    expect(r.gate.reasons).toEqual(['bidirectional failed: certification failed on epic; certification failed on eclinicalworks']);
    expect(plain('certification').slice(0, 2)).toEqual([
      `Deepwater Scheduling: grade A, 93.3/100 · based on all ${findings(r).length} findings`,
      'CI gate: failed — bidirectional failed: certification failed on epic; certification failed on eclinicalworks',
    ]);
    const [head, gate] = coloured('certification');
    expect(colours(head!)).toEqual(['green']);
    expect(colourAt(gate!, 'failed')).toBe('red');
    expect(colours(gate!)).toEqual(['red']);
    const html = formatHtml(r);
    expect(headerOf(html)).toContain('class="verdict band-good"');
    expect(headerOf(html)).toContain('class="grade grade-A"');
    expect(headerOf(html)).not.toMatch(/fail|band-poor/i);
    expect(gateOf(html)).toContain('class="gate gate-failed"');
    expect(gateOf(html)).toContain('<b>✖ failed</b> — bidirectional failed: certification failed on epic; certification failed on eclinicalworks');
    expect(formatMarkdown(r).split('\n')[0]).toBe('### ehr-check: Deepwater Scheduling — grade A, 93.3/100');
  });

  it('a low score under a gate of minScore 0: a red F beside a green gate line, never a green PASS card', () => {
    const r = reports['min-score-zero'];
    expect(r.score!).toBeLessThan(60);
    expect(r).toMatchObject({ grade: 'F', verdict: { status: 'graded' }, gate: { passed: true, minScore: 0, require: [] } });
    const lines = plain('min-score-zero');
    expect(lines[0]).toMatch(/^Shallowbrook Voice AI: grade F, \d+(\.\d)?\/100 · based on /);
    expect(lines[1]).toBe('CI gate: passed (min score 0)');
    const [head, gate] = coloured('min-score-zero');
    expect(colourAt(head!, 'grade F')).toBe('red');
    expect(colours(head!)).not.toContain('green');
    expect(colours(gate!)).toEqual(['green']);
    const html = formatHtml(r);
    expect(headerOf(html)).toContain('class="verdict band-poor"');
    expect(headerOf(html)).toContain('class="grade grade-F"');
    expect(headerOf(html)).not.toMatch(/pass/i);
    expect(gateOf(html)).toContain('class="gate gate-passed"');
  });

  it('nothing reachable: not evaluated, with why, and no grade at all; the gate fails on its own line', () => {
    const r = reports['nothing-reachable'];
    expect(r.connections.map((c) => c.live)).toEqual([false, false]);
    expect(findings(r).filter((f) => f.id === 'connection-live').map((f) => f.status)).toEqual(['error', 'error']);
    expect(r).toMatchObject({ score: null, grade: null, gate: { passed: false } });
    expect(r.verdict).toEqual({
      status: 'not-evaluated',
      reason: "none of the 2 connections could be reached or used, so nothing about the vendor was judged; check the plan's URLs, the network and the credentials (see connection-live)",
    });
    expect(r.confidence).toMatchObject({ judged: 0, share: 0 });
    const text = plain('nothing-reachable');
    expect(text[0]).toBe(`Deepwater Scheduling: NOT EVALUATED — ${r.verdict!.reason}`);
    expect(text.slice(0, 4).join('\n')).not.toMatch(/grade/);
    expect(text[1]).toMatch(/^CI gate: failed — nothing could be judged: no check produced a score; bidirectional errored: /);
    const [head] = coloured('nothing-reachable');
    expect(colours(head!)).toEqual([]); // neither green nor red: not a verdict either way
    const html = formatHtml(r);
    expect(headerOf(html)).toContain('class="verdict band-none"');
    expect(headerOf(html)).toContain('class="grade grade-none" aria-label="not evaluated">—</div>');
    expect(headerOf(html)).toContain('data-testid="not-evaluated"><b>Not evaluated:</b> none of the 2 connections could be reached');
    expect(headerOf(html)).not.toMatch(/grade-F|>F</);
    expect(gateOf(html)).toContain('class="gate gate-failed"');
    expect(formatMarkdown(r).split('\n')[0]).toBe('### ehr-check: Deepwater Scheduling — not evaluated');
  });
});
