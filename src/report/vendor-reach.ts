// How the vendor was reached on each connection, and how a finding's verdict was reached, in the buyer's words:
// the same phrases in the terminal, Markdown and HTML reports. Pure.
import type { Finding, Report } from '../model/report.js';

const KIND_WORDS: Record<string, string> = {
  fhir: 'FHIR facade',
  http: 'REST API',
  person: 'a person at its product',
  'scheduling-links': 'Scheduling Links feed',
};

export const vendorKindWords = (kind: string | undefined): string => KIND_WORDS[kind ?? 'fhir'] ?? kind ?? 'FHIR facade';

/** "epic via FHIR facade, athenahealth via a person at its product"; reports older than 1.2 name no kind. */
export function connectionReach(report: Report): string {
  return report.connections.map((c) => `${c.system} via ${vendorKindWords(c.vendorKind)}`).join(', ');
}

/** True when some connection reaches the vendor other than through the FHIR facade: worth saying up front. */
export const mixedReach = (report: Report): boolean => report.connections.some((c) => (c.vendorKind ?? 'fhir') !== 'fhir');

/** Who did a finding's steps when a person did ("by a person at the vendor"); undefined when the API did. */
export function byPerson(finding: Finding): string | undefined {
  const e = finding.evidence ?? {};
  const ehr = e.method === 'operator';
  const vendor = e.vendorMethod === 'operator';
  if (ehr && vendor) return 'by people at the EHR and the vendor';
  if (vendor) return 'by a person at the vendor';
  if (ehr) return 'by a person at the EHR';
  return undefined;
}
