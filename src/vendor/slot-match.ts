// Which EHR slot a vendor's slot stands for. A vendor that knows the EHR's id (the FHIR facade, a REST API's
// foreign id) names it; one that does not (a feed, a person reading a screen, an API with its own ids) is matched
// on the same start and end instant, compared as instants so "10:30-05:00" and "15:30Z" agree. Pure.
import type { Slot } from '../model/fhir.js';

const instant = (value: string | undefined): number | undefined => {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
};

/**
 * The vendor's slots with their ids made the EHR's: kept when it is one of `ehrSlots`' ids, else the EHR slot
 * with the same start and end (the first, when the EHR holds several), else its own id (a slot the EHR does not
 * hold free: the read-through's phantom). A slot without an end (a time a person heard: "10:30") is matched by
 * its start alone.
 */
export function matchToEhr(vendorSlots: readonly Slot[], ehrSlots: readonly Slot[]): Slot[] {
  const ids = new Set(ehrSlots.map((s) => s.id));
  const byTime = new Map<string, Slot>();
  for (const s of ehrSlots) {
    const start = instant(s.start);
    const end = instant(s.end);
    if (start !== undefined && end !== undefined && !byTime.has(`${start}/${end}`)) byTime.set(`${start}/${end}`, s);
    if (start !== undefined && !byTime.has(`${start}/`)) byTime.set(`${start}/`, s);
  }
  return vendorSlots.map((v) => {
    if (ids.has(v.id)) return v;
    const end = instant(v.end);
    const ehr = byTime.get(`${instant(v.start)}/${end ?? ''}`);
    if (!ehr) return v;
    // A start-only match takes the EHR's end too: the slot is then bookable as the EHR describes it.
    return end === undefined ? { ...v, id: ehr.id, end: ehr.end } : { ...v, id: ehr.id };
  });
}
