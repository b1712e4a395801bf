// How each finding of docs/report.md can be judged on one EHR, from its CapabilityStatement plus the undeclared searches
// the EHR was seen to honour (verified.ts; src/ehr/verify-capability.ts tries them). Pure.
//
// The rules, and why:
// - The EHR is the record of truth and verdicts about writes are read from it, never from the vendor's answer
//   (docs/vendor-contract.md). Bookings are found by `Appointment?identifier=` (the run's own booking key) if the EHR allows
//   it, else by `Appointment?patient=&date=`, else by `Appointment?slot=`. An EHR that can read an Appointment
//   only by id cannot find a booking without taking the vendor's word for its id, so it counts as "cannot find"
//   by API, and a person at the EHR counts instead.
// - Changes on the EHR's side (a slot made busy) are injected by Slot `update` (or `patch`), else by Appointment
//   `create` on the slot, else a person must make them in the EHR's own screens: `operator`.
// - read-through: api when Slot can be searched for one schedule or window; otherwise `operator`, not impossible:
//   it compares two views at one moment, and a person reading the EHR's schedule screen for a short window sees
//   the same view the front desk books from. The tool still fetches the vendor's side and does the comparison.
// - A person at the EHR's own schedule screen can judge whatever that screen shows: whether a booking landed, how
//   many bookings a slot holds and for whom, whether a slot is free or busy. Where the API cannot show it, the
//   finding is `operator`, never impossible: the tool still makes the booking through the vendor, asks the person
//   (a terminal prompt or --operator-script), and judges their answer as it would judge the API's.
// - write-lands, write-idempotent: api when bookings can be found by search; otherwise `operator`: after the vendor
//   books, a person counts the test patient's bookings on the slot (and all bookings on it).
// - conflict-refused: the busy slot is made by API or by a person; "nothing was written" is read by booking
//   search or counted by a person. api only when both are by API.
// - ehr-to-vendor-lag: api when the change is injected by API; otherwise a person makes it and confirms. Where
//   the EHR's API shows it landing (Slot search, or Appointment search by patient and date or by slot: a
//   person's booking carries no run identifier) that moment narrows the trial's start; else the start is known
//   only within the span between asking and confirming, and the lag's error bound widens by that span.
// - vendor-to-ehr-lag: api when bookings can be found by search; otherwise impossible: the lag is the moment the
//   vendor's booking appears in the EHR, and only repeated looks can place it; a person's looks, seconds apart at
//   best, cannot tell real time from near real time (whether it landed at all is write-lands, by a person).
// - double-booking-race: a person cannot act "at the same moment" as the vendor, so it needs API injection (a
//   rival EHR-side Appointment where the API creates one, else a Slot update) and booking search; else impossible.
// - writes-at-volume: dozens of bookings are counted by their keys (`Appointment?identifier=`, many keys per
//   search, else the test patient's over the burst's days, else `Appointment?slot=` on their slots) and their
//   slots found free by Slot search; a person cannot
//   count dozens of bookings by key, so without both it is impossible. `Appointment?slot=` also catches bookings
//   that carry no key.
// - patient-matched: a second Patient is looked for by identifier (api), seeding the existing patient by
//   Patient create when offered, else using one found by search; by name and birth date as a fallback.
// - certification, required-systems, claim-integrity: judged from the plan, manifest and registry files.
// - connection-live: api (`/metadata`), also on a server that is not R4: it is judged there, and fails.
// - A statement that is not FHIR R4 (or not a CapabilityStatement): everything else that needs the EHR is
//   impossible, with the reader's problem ("not FHIR R4: ...") as the reason.
import { JUDGED_WITHOUT_EHR } from '../../checks/catalog.js';
import { ALL_FINDING_IDS, type FindingId } from '../model/report.js';
import { searchable, supports, type CapabilitySummary } from './reader.js';
import { noteVerified, type Verification } from './verified.js';

export interface FindingMethod {
  method: 'api' | 'operator' | 'impossible';
  reason: string;
  /** Interactions and searches used, e.g. `Slot:search-type(schedule,status,start)`. */
  via: string[];
}

interface Route {
  via: string;
  says: string;
}

const api = (reason: string, via: string[]): FindingMethod => ({ method: 'api', reason, via });
const operator = (reason: string, via: string[]): FindingMethod => ({ method: 'operator', reason, via });
const impossible = (reason: string): FindingMethod => ({ method: 'impossible', reason, via: [] });

/**
 * `cap` is the statement plus what behaviour verified (verified.ts `verifiedCapability`); with `verification`, a
 * reason names the undeclared searches its route rests on.
 */
export function planFindingMethods(cap: CapabilitySummary, verification?: Verification): Record<FindingId, FindingMethod> {
  return noteVerified(planFromCapability(cap), verification);
}

function planFromCapability(cap: CapabilitySummary): Record<FindingId, FindingMethod> {
  const fromFiles = planFileFindings();
  const live = connectionLive(cap);
  if (!cap.ok) {
    const reason = cap.problem ?? 'not FHIR R4';
    const plan = Object.fromEntries(ALL_FINDING_IDS.map((id) => [id, impossible(reason)])) as Record<FindingId, FindingMethod>;
    return inReportOrder({ ...plan, ...fromFiles, 'connection-live': live });
  }

  const bookings = bookingSearch(cap);
  const unseen = bookings === undefined ? whyBookingsUnseen(cap) : undefined;
  const change = injection(cap);
  const rival = raceRival(cap);
  const slots = slotView(cap);

  // Where the API cannot find a booking, a person at the EHR's schedule screen counts them.
  const counted = (byApi: (b: Route) => string, byPerson: string): FindingMethod =>
    bookings ? api(byApi(bookings), [bookings.via]) : operator(`${unseen}; ${byPerson}`, []);

  return inReportOrder({
    'read-through': slots
      ? api(`the EHR's free slots are read by ${slots.says}`, [slots.via])
      : operator(
          "the EHR offers no Slot search: a person reads the free slots of the window from the EHR's own schedule screen, and the tool compares them with the vendor's",
          [],
        ),
    'write-lands': counted(
      (b) => `the booking is found in the EHR by ${b.says} and checked for slot and patient`,
      "after the vendor books, a person at the EHR's schedule screen counts the test patient's bookings on the slot, and all bookings on it",
    ),
    'write-idempotent': counted(
      (b) => `after the repeated booking, the EHR is searched by ${b.says} and must hold one`,
      'after the repeated booking, a person at the EHR counts the test patient’s bookings on the slot: there must be one',
    ),
    'vendor-to-ehr-lag': bookings
      ? api(`the EHR is polled by ${bookings.says} until the vendor's booking appears`, [bookings.via])
      : impossible(
          `${unseen}; the lag is the moment the vendor's booking appears in the EHR, and a person's looks, seconds apart at best, cannot place it finely enough to tell real time from near real time (whether it lands at all is judged by a person in write-lands)`,
        ),
    'conflict-refused': conflictRefused(change, bookings, unseen),
    'ehr-to-vendor-lag': ehrToVendorLag(change, slots ?? personBookingSearch(cap)),
    'double-booking-race': !rival
      ? impossible(
          "a person cannot act at the same moment as the vendor: the race needs the EHR change made by API (Slot update or patch, or Appointment create), which this EHR does not offer",
        )
      : bookings
        ? api(`the slot is taken by ${rival.says} while the vendor books it; ${bookings.says} counts the bookings`, [rival.via, bookings.via])
        : impossible(`${unseen}; the race's bookings are counted by API the moment it settles, and a person's count is not part of the race`),
    'patient-matched': patientMatched(cap),
    'writes-at-volume': writesAtVolume(cap, slots),
    ...fromFiles,
    'connection-live': live,
  });
}

/** Keys in docs/report.md's order, so JSON output and tables read the same way everywhere. */
function inReportOrder(plan: Partial<Record<FindingId, FindingMethod>>): Record<FindingId, FindingMethod> {
  return Object.fromEntries(ALL_FINDING_IDS.map((id) => [id, plan[id]])) as Record<FindingId, FindingMethod>;
}

/** Findings judged from the plan's files or the run's other findings, as their checks declare. */
function planFileFindings(): Partial<Record<FindingId, FindingMethod>> {
  return Object.fromEntries(JUDGED_WITHOUT_EHR.map(({ id, judgedFrom }) => [id, api(`judged from ${judgedFrom}, not the EHR`, [])]));
}

function connectionLive(cap: CapabilitySummary): FindingMethod {
  if (cap.ok) return api("the EHR's /metadata answers as FHIR R4; the vendor's endpoint is probed in the run", ['metadata']);
  return api(`/metadata answers but ${cap.problem ?? 'is not FHIR R4'}: judged, and it fails`, ['metadata']);
}

/** Finding the run's bookings in the EHR, best way first. */
function bookingSearch(cap: CapabilitySummary): Route | undefined {
  if (searchable(cap, 'Appointment', 'identifier')) {
    return { via: 'Appointment:search-type(identifier)', says: 'Appointment?identifier= (the booking key)' };
  }
  if (searchable(cap, 'Appointment', 'patient') && searchable(cap, 'Appointment', 'date')) {
    return { via: 'Appointment:search-type(patient,date)', says: 'Appointment?patient=&date=' };
  }
  if (searchable(cap, 'Appointment', 'slot')) return { via: 'Appointment:search-type(slot)', says: 'Appointment?slot=' };
  return undefined;
}

function whyBookingsUnseen(cap: CapabilitySummary): string {
  const appointment = cap.resources.Appointment;
  if (appointment === undefined || !supports(cap, 'Appointment', 'read')) {
    return "the EHR's API exposes no Appointment: bookings cannot be read";
  }
  const params = supports(cap, 'Appointment', 'search-type') ? appointment.searchParams.join(', ') || 'none' : 'no search';
  return `Appointment cannot be searched by identifier, patient and date, or slot (search: ${params}): a booking cannot be found without trusting the vendor's answer`;
}

/** Making a slot busy on the EHR's side by API. */
/** The race's EHR side: a rival booking where the API takes one (two bookings compete, as at a front desk), else a Slot update. */
function raceRival(cap: CapabilitySummary): Route | undefined {
  if (supports(cap, 'Appointment', 'create')) return { via: 'Appointment:create', says: 'an EHR-side Appointment' };
  if (supports(cap, 'Slot', 'update')) return { via: 'Slot:update', says: 'Slot update' };
  return undefined;
}

function injection(cap: CapabilitySummary): Route | undefined {
  if (supports(cap, 'Slot', 'update')) return { via: 'Slot:update', says: 'Slot update' };
  if (supports(cap, 'Slot', 'patch')) return { via: 'Slot:patch', says: 'Slot patch' };
  if (supports(cap, 'Appointment', 'create')) return { via: 'Appointment:create', says: 'an Appointment created on it' };
  return undefined;
}

/** Reading the EHR's slots for one schedule or one window. */
function slotView(cap: CapabilitySummary): Route | undefined {
  if (!supports(cap, 'Slot', 'search-type')) return undefined;
  const scope = ['schedule', 'schedule.actor'].find((p) => searchable(cap, 'Slot', p));
  const params = [scope, ...['status', 'start'].filter((p) => searchable(cap, 'Slot', p))].flatMap((p) => p ?? []);
  if (scope === undefined && !params.includes('start')) return undefined;
  const statusNote = params.includes('status') ? '' : ", free ones picked by each Slot's status";
  return { via: `Slot:search-type(${params.join(',')})`, says: `Slot search (${params.join(', ')})${statusNote}` };
}

function conflictRefused(change: Route | undefined, bookings: Route | undefined, unseen: string | undefined): FindingMethod {
  const busy = change ? `the slot is made busy by ${change.says}` : "the EHR's API cannot make a slot busy (no Slot update or Appointment create): a person does it in the EHR's screens";
  if (change && bookings) return api(`${busy}; ${bookings.says} shows nothing was written`, [change.via, bookings.via]);
  if (bookings) return operator(`${busy}; ${bookings.says} then shows nothing was written`, [bookings.via]);
  return operator(`${busy}; ${unseen}, so a person at the EHR counts the bookings on the slot: nothing may have been written`, change ? [change.via] : []);
}

function ehrToVendorLag(change: Route | undefined, seen: Route | undefined): FindingMethod {
  if (change) return api(`the change is made in the EHR by ${change.says} and timed until the vendor shows it`, [change.via]);
  if (seen) {
    return operator(
      `the EHR's API cannot make the change: a person makes it in the EHR's screens, ${seen.says} shows it landed, and the vendor is timed from there`,
      [seen.via],
    );
  }
  return operator(
    "the EHR's API can neither make the change nor show it landing: a person makes it in the EHR's screens and confirms, and the vendor is timed from then, with the error bound widened to the span between asking and confirming",
    [],
  );
}

/** A booking a person made carries no run identifier: it is found by the test patient and date, or by its slot. */
function personBookingSearch(cap: CapabilitySummary): Route | undefined {
  if (searchable(cap, 'Appointment', 'patient') && searchable(cap, 'Appointment', 'date')) {
    return { via: 'Appointment:search-type(patient,date)', says: "Appointment?patient=&date= (the run's test patient)" };
  }
  if (searchable(cap, 'Appointment', 'slot')) return { via: 'Appointment:search-type(slot)', says: 'Appointment?slot=' };
  return undefined;
}

function writesAtVolume(cap: CapabilitySummary, slots: Route | undefined): FindingMethod {
  const bookings = bookingSearch(cap);
  const bySlot = searchable(cap, 'Appointment', 'slot');
  if (!bookings) {
    return impossible(`${whyBookingsUnseen(cap)}; dozens of bookings cannot be counted by a person at the EHR's screens`);
  }
  if (!slots) return impossible("the EHR offers no Slot search: the burst's free slots cannot be found, and a person cannot read dozens off its screen");
  const via = [slots.via, bookings.via, ...(bySlot && !bookings.via.includes('(slot)') ? ['Appointment:search-type(slot)'] : [])];
  const counted = `each booking key is counted by ${bookings.says}${bookings.via.includes('identifier') ? ', many keys per search' : ', reading the keys the bookings carry'}`;
  const unkeyed = bySlot ? '; Appointment?slot= finds bookings on those slots that carry no key' : '; bookings that carry no key go unseen (no Appointment?slot= search)';
  return api(`free slots are found by ${slots.says}; ${counted}${unkeyed}`, via);
}

function patientMatched(cap: CapabilitySummary): FindingMethod {
  const seed = supports(cap, 'Patient', 'create')
    ? { via: ['Patient:create'], says: 'an existing patient is seeded by Patient create' }
    : { via: [], says: 'an existing patient is found by search (no Patient create)' };
  if (searchable(cap, 'Patient', 'identifier')) {
    return api(`${seed.says}; the EHR is then searched by identifier for a second record`, [
      'Patient:search-type(identifier)',
      ...seed.via,
    ]);
  }
  const name = ['family', 'name'].find((p) => searchable(cap, 'Patient', p));
  if (name && searchable(cap, 'Patient', 'birthdate')) {
    return api(`${seed.says}; with no identifier search, a second record is looked for by name and birth date`, [
      `Patient:search-type(${name},birthdate)`,
      ...seed.via,
    ]);
  }
  return impossible('Patient cannot be searched by identifier or by name and birth date: a duplicate cannot be seen');
}
