// The cost in two parts and the writes in numbers that add up, the same in terminal, Markdown and HTML; and
// saved reports from before either still read as they did.
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { cleanupSentence, costBreakdown } from '../../src/report/facts.js';
import { formatHtml } from '../../src/report/html.js';
import { formatMarkdown } from '../../src/report/markdown.js';
import { formatTerminal } from '../../src/report/terminal.js';
import { REENTRY_RULE } from '../../src/reentry.js';
import { buildRoiPanel } from '../../src/roi.js';
import { sample } from './samples.js';

const volumes = { bookingsPerWeek: 600, minutesPerManualEntry: 4, staffHourlyCost: 38 };

/** The batch sample with a panel of today's model: 10% re-entered by hand, 2 s behind the EHR, the race failed. */
function pricedReport(): Report {
  const report = sample('batch');
  report.roi = buildRoiPanel(volumes, [{ connection: 'epic', reentryFraction: 0.1, lagSeconds: 2, lagIsLowerBound: false, racePassed: false }]);
  return report;
}

describe('the cost in two parts', () => {
  it('adds the re-entries and the double-bookings up to the cost per week', () => {
    const roi = pricedReport().roi!;
    // 60 re-entries × 4 min = 4 h = $152; 4.43 double-bookings × 20 min = 1.48 h = $56.24; $208.24 in all.
    expect(roi).toMatchObject({ manualReentriesPerWeek: 60, reentryCostPerWeek: 152, expectedDoubleBookingsPerWeek: 4.43, doubleBookingCostPerWeek: 56.24, costPerWeek: 208.24, staffHoursPerWeek: 5.48 });
    expect(costBreakdown(roi)).toBe('$152 for 60 manual re-entries (4 h) + $56 for 4.4 expected double-bookings (1.5 h at 20 min each)');
  });

  it('shows both parts and the re-entry rule in each format', () => {
    const report = pricedReport();
    const terminal = formatTerminal(report, { color: false, width: 400 });
    expect(terminal).toContain('Cost of the gaps  $208/week');
    expect(terminal).toContain('= $152 for 60 manual re-entries (4 h) + $56 for 4.4 expected double-bookings (1.5 h at 20 min each).');
    expect(terminal).toContain('Inputs: 600 bookings/week, 4 min per manual entry, 20 min per double-booking, $38/hour.');
    expect(terminal).toContain(`${REENTRY_RULE.charAt(0).toUpperCase()}${REENTRY_RULE.slice(1)}.`);
    expect(formatMarkdown(report)).toMatch(/^= \$152 for 60 manual re-entries \(4 h\) \+ \$56 for 4\.4 expected double-bookings \(1\.5 h at 20 min each\)\.$/m);
    const html = formatHtml(report);
    expect(html).toContain('20 minutes per double-booking');
    expect(html).toMatch(/<p data-testid="cost-parts">\$152 for 60 manual re-entries/);
  });

  it('leaves a saved report of the one-part model as it was', () => {
    const report = sample('shallow');
    expect(costBreakdown(report.roi!)).toBeNull();
    expect(formatTerminal(report, { color: false, width: 400 })).not.toContain('per double-booking');
  });
});

describe('the writes in one sentence', () => {
  it('reads the reconciled counts', () => {
    const report = sample('batch');
    report.writes = [
      { connection: 'epic', target: 'ehr', action: 'create-patient', resourceType: 'Patient', id: 'p1', removed: true, removedBy: 'cleanup' },
      { connection: 'epic', target: 'vendor', action: 'book', resourceType: 'Appointment', id: 'a1', removed: true, removedBy: 'probe' },
      { connection: 'epic', target: 'vendor', action: 'book', resourceType: 'Appointment', removed: false, queued: true },
      { connection: 'epic', target: 'vendor', action: 'found-by-tag', resourceType: 'Appointment', id: 'x9', removed: true, removedBy: 'cleanup' },
    ];
    report.cleanup = {
      created: 4, removed: 3, leftover: ['booking urn:ehr-check:booking|k: queued by the vendor (HTTP 202) and not in the EHR yet'],
      removedByProbe: 1, foundByIdentifier: 0, foundByTag: 1, writesWithoutRecord: 2, slotsTouched: 3, restored: 1, otherLeftover: 0,
    };
    expect(cleanupSentence(report)).toBe(
      'Wrote 4 records in the EHR (1 directly, 2 through the vendor, 1 found by the run tag); removed 3 of 4 (1 by the probe that made them, 2 at cleanup); ' +
        '2 writes made no record (refused, matched or replayed); 3 slots touched, 1 put back at cleanup; 1 left over.',
    );
  });

  it('says when the run wrote nothing, and keeps the old sentence for an older report', () => {
    const none = sample('deep');
    none.writes = [];
    none.cleanup = { created: 0, removed: 0, leftover: [], writesWithoutRecord: 0, slotsTouched: 0 };
    expect(cleanupSentence(none)).toBe('The run wrote nothing to the EHR; nothing left over.');
    expect(cleanupSentence(sample('batch'))).toBe('Wrote 15 (EHR 5, vendor 10); cleanup removed 14 of 15; 1 left over.');
  });
});
