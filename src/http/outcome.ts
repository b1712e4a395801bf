// OperationOutcome as one readable line, for error messages and evidence.

const MAX_TEXT = 500;

interface Issue {
  severity?: unknown;
  code?: unknown;
  diagnostics?: unknown;
  details?: { text?: unknown; coding?: Array<{ display?: unknown; code?: unknown }> };
}

/** The readable text of an OperationOutcome; undefined when the body is not one or says nothing. */
export function outcomeText(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const outcome = body as { resourceType?: unknown; issue?: unknown };
  if (outcome.resourceType !== 'OperationOutcome' || !Array.isArray(outcome.issue)) return undefined;
  const lines = outcome.issue
    .filter((issue): issue is Issue => !!issue && typeof issue === 'object')
    .map(issueText)
    .filter((line): line is string => !!line);
  if (lines.length === 0) return undefined;
  return clean(lines.join('; '));
}

function issueText(issue: Issue): string | undefined {
  const coding = Array.isArray(issue.details?.coding) ? issue.details.coding[0] : undefined;
  const words = firstString(issue.details?.text, issue.diagnostics, coding?.display, coding?.code, issue.code);
  if (!words) return undefined;
  const severity = typeof issue.severity === 'string' ? issue.severity : undefined;
  return severity ? `${severity}: ${words}` : words;
}

function firstString(...values: unknown[]): string | undefined {
  for (const value of values) if (typeof value === 'string' && value.trim()) return value.trim();
  return undefined;
}

// A hostile server controls this text: one line, no control characters, bounded.
function clean(text: string): string {
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > MAX_TEXT ? `${flat.slice(0, MAX_TEXT - 1)}…` : flat;
}
