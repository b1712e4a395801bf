// How each finding of DESIGN §6 can be judged on one EHR, from its CapabilityStatement alone. Pure.
//
// The rules, and why:
// - The EHR is the record of truth and verdicts about writes are read from it, never from the vendor's answer
//   (DESIGN §5). Bookings are found by `Appointment?identifier=` (the run's own booking key) if the EHR allows
//   it, else by `Appointment?patient=&date=`, else by `Appointment?slot=`. An EHR that can read an Appointment
//   only by id cannot find a booking without taking the vendor's word for its id, so it counts as "cannot find".
// - Changes on the EHR's side (a slot made busy) are injected by Slot `update` (or `patch`), else by Appointment
//   `create` on the slot, else a person must make them in the EHR's own screens: `operator`.
// - read-through: api when Slot can be searched for one schedule or window; otherwise `operator`, not impossible:
//   it compares two views at one moment, and a person reading the EHR's schedule screen for a short window sees
//   the same view the front desk books from. The tool still fetches the vendor's side and does the comparison.
// - write-lands, write-idempotent, vendor-to-ehr-lag: api when bookings can be found by search; otherwise
//   impossible, because counting "exactly one", timing the arrival and cleaning up after the run (DESIGN §8) all
//   need the API. A person's reading is no evidence of a count, and cannot be timed.
// - conflict-refused: "nothing was written" must be read from the EHR, so it needs booking search; the busy slot
//   is made by API (api) or by a person (operator).
// - ehr-to-vendor-lag: api when the change is injected by API; operator when a person makes it and the EHR's API
//   shows it landing, which is the moment the lag is timed from: by Slot search, or by Appointment search by
//   patient and date or by slot (a person's booking carries no run identifier); else impossible.
// - double-booking-race: a person cannot act "at the same moment" as the vendor, so api with API injection
//   (a rival EHR-side Appointment where the API creates one, else a Slot update) and booking search, else
//   impossible.
// - patient-matched: a second Patient is looked for by identifier (api), seeding the existing patient by
//   Patient create when offered, else using one found by search; by name and birth date as a fallback.
// - certification, required-systems, claim-integrity: judged from the plan, manifest and registry files.
// - connection-live: api (`/metadata`), also on a server that is not R4: it is judged there, and fails.
// - A statement that is not FHIR R4 (or not a CapabilityStatement): everything else that needs the EHR is
//   impossible, with the reader's problem ("not FHIR R4: ...") as the reason.
import { ALL_FINDING_IDS, type FindingId } from '../model/report.js';
import { searchable, supports, type CapabilitySummary } from './reader.js';

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

export function planFindingMethods(cap: CapabilitySummary): Record<FindingId, FindingMethod> {
  const fromFiles = planFileFindings();
  const live = connectionLive(cap);
  if (!cap.ok) {
    const reason = cap.problem ?? 'not FHIR R4';
    const plan = Object.fromEntries(ALL_FINDING_IDS.map((id) => [id, impossible(reason)])) as Record<FindingId, FindingMethod>;
    return inReportOrder({ ...plan, ...fromFiles, 'connection-live': live });
  }

  const bookings = bookingSearch(cap);
  const noBookings = bookings === undefined ? impossible(whyBookingsUnseen(cap)) : undefined;
  const change = injection(cap);
  const rival = raceRival(cap);
  const slots = slotView(cap);

  const byBookings = (reason: (b: Route) => string): FindingMethod =>
    noBookings ?? api(reason(bookings!), [bookings!.via]);

  return inReportOrder({
    'read-through': slots
      ? api(`the EHR's free slots are read by ${slots.says}`, [slots.via])
      : operator(
          "the EHR offers no Slot search: a person reads the free slots of the window from the EHR's own schedule screen, and the tool compares them with the vendor's",
          [],
        ),
    'write-lands': byBookings((b) => `the booking is found in the EHR by ${b.says} and checked for slot and patient`),
    'write-idempotent': byBookings((b) => `after the repeated booking, the EHR is searched by ${b.says} and must hold one`),
    'vendor-to-ehr-lag': byBookings((b) => `the EHR is polled by ${b.says} until the vendor's booking appears`),
    'conflict-refused':
      noBookings ??
      (change
        ? api(`the slot is made busy by ${change.says}; ${bookings!.says} shows nothing was written`, [change.via, bookings!.via])
        : operator(
            `the EHR's API cannot make a slot busy (no Slot update or Appointment create): a person does it in the EHR's screens; ${bookings!.says} then shows nothing was written`,
            [bookings!.via],
          )),
    'ehr-to-vendor-lag': ehrToVendorLag(change, slots ?? personBookingSearch(cap)),
    'double-booking-race':
      noBookings ??
      (rival
        ? api(`the slot is taken by ${rival.says} while the vendor books it; ${bookings!.says} counts the bookings`, [rival.via, bookings!.via])
        : impossible(
            "a person cannot act at the same moment as the vendor: the race needs the EHR change made by API (Slot update or patch, or Appointment create), which this EHR does not offer",
          )),
    'patient-matched': patientMatched(cap),
    ...fromFiles,
    'connection-live': live,
  });
}

/** Keys in DESIGN §6's order, so JSON output and tables read the same way everywhere. */
function inReportOrder(plan: Record<FindingId, FindingMethod>): Record<FindingId, FindingMethod> {
  return Object.fromEntries(ALL_FINDING_IDS.map((id) => [id, plan[id]])) as Record<FindingId, FindingMethod>;
}

function planFileFindings(): Pick<Record<FindingId, FindingMethod>, 'certification' | 'required-systems' | 'claim-integrity'> {
  return {
    certification: api('judged from the vendor manifest and the certification registry, not the EHR', []),
    'required-systems': api("judged from the plan's sites and connections, not the EHR", []),
    'claim-integrity': api('judged from the vendor manifest and the connections found live, not the EHR', []),
  };
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

function ehrToVendorLag(change: Route | undefined, seen: Route | undefined): FindingMethod {
  if (change) return api(`the change is made in the EHR by ${change.says} and timed until the vendor shows it`, [change.via]);
  if (seen) {
    return operator(
      `the EHR's API cannot make the change: a person makes it in the EHR's screens, ${seen.says} shows it landed, and the vendor is timed from there`,
      [seen.via],
    );
  }
  return impossible(
    "no change can be made by API, and one made by a person cannot be seen through the API (no Slot search, no Appointment search by patient and date or slot): there is no moment to time from",
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
