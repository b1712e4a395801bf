// How each finding can be judged on the vendor's side, from what its channel can do (channel.ts): by API, by a
// person using the vendor's product, or not at all. The EHR side (src/capability/methods.ts) is decided apart;
// a finding is probed only when both sides can do their part. Pure.
//
// The rules, and why:
// - Every verdict about a write is read from the EHR, so the vendor only has to be asked: for its free slots
//   (read-through, ehr-to-vendor-lag), to book (write-lands, write-idempotent, conflict-refused, vendor-to-ehr-lag,
//   the race, volume), or to register a patient (patient-matched).
// - A person can ask the product (phone, chat, web) which times are free, and can book: those findings are
//   `operator`. A person cannot act at the same moment as an EHR-side change (the race), cannot book dozens at
//   once (volume), and asks too seldom to place when a change reached the vendor (ehr-to-vendor-lag).
// - Booking by a person: the lag is measured from when the person was asked, and the time they took to confirm
//   widens its error bound (vendor-to-ehr-lag stays `operator`).
// - A vendor without a booking key (a REST API without idempotency keys, a person) is asked "the same request
//   twice": write-idempotent then checks that a retried request does not become two Appointments in the EHR.
import type { FindingMethod } from '../capability/methods.js';
import type { FindingId } from '../model/report.js';
import type { VendorAbilities, VendorAbility } from './channel.js';

type Need = 'freeSlots' | 'book' | 'registerPatient';

interface VendorRule {
  needs: Need;
  /** What the finding asks of the vendor, for reasons ("… to book"). */
  asks: string;
  /** Why a person cannot do it, when they cannot. */
  notByPerson?: string;
}

const RULES: Partial<Record<FindingId, VendorRule>> = {
  'read-through': { needs: 'freeSlots', asks: 'for its free slots' },
  'write-lands': { needs: 'book', asks: 'to book' },
  'write-idempotent': { needs: 'book', asks: 'to book the same thing twice' },
  'conflict-refused': { needs: 'book', asks: 'to book a slot the EHR holds busy' },
  'patient-matched': { needs: 'registerPatient', asks: 'to register a patient the EHR already holds' },
  'vendor-to-ehr-lag': { needs: 'book', asks: 'to book' },
  'ehr-to-vendor-lag': {
    needs: 'freeSlots',
    asks: 'for its free slots, again and again',
    notByPerson: "a person asking the product which times are free, minutes apart, cannot place when the EHR's change reached it",
  },
  'double-booking-race': {
    needs: 'book',
    asks: 'to book at the moment the EHR takes the slot',
    notByPerson: 'a person cannot book at the same moment as the EHR-side change',
  },
  'writes-at-volume': {
    needs: 'book',
    asks: 'to book dozens of slots at once, some twice while the first request is in flight',
    notByPerson: 'a person cannot book dozens of slots at once, nor repeat one while the first is still in flight',
  },
};

/** The vendor-side method of every finding that asks something of the vendor. */
export function vendorFindingMethods(can: VendorAbilities, kind: string): Partial<Record<FindingId, FindingMethod>> {
  const methods: Partial<Record<FindingId, FindingMethod>> = {};
  for (const [id, rule] of Object.entries(RULES) as Array<[FindingId, VendorRule]>) methods[id] = methodFor(rule, can[rule.needs], can, kind);
  return methods;
}

function methodFor(rule: VendorRule, ability: VendorAbility, can: VendorAbilities, kind: string): FindingMethod {
  if (ability.by === 'none') return { method: 'impossible', reason: `the ${kind} vendor cannot be asked ${rule.asks}: ${ability.reason}`, via: [] };
  if (ability.by === 'person') {
    if (rule.notByPerson) return { method: 'impossible', reason: `the vendor is reached through a person: ${rule.notByPerson}`, via: [] };
    return { method: 'operator', reason: `a person using the vendor's product asks it ${rule.asks}`, via: [`vendor:${rule.needs}`] };
  }
  const repeat = rule.needs === 'book' && rule.asks.includes('twice') && !can.bookingKey;
  const polled = rule.needs === 'freeSlots' && can.readIntervalMs !== undefined;
  const how = repeat
    ? "the vendor's API takes no booking key: the same request is sent twice, as a client retrying would"
    : polled
      ? `the vendor is read at most every ${Math.round(can.readIntervalMs! / 1000)} s, which bounds the error`
      : `the vendor's API is asked ${rule.asks}`;
  return { method: 'api', reason: how, via: [`vendor:${rule.needs}`] };
}

const RANK = { api: 0, operator: 1, impossible: 2 } as const;

/** The stricter of the EHR's and the vendor's methods for a finding: both sides must be able to do their part. */
export function bothSides(ehr: FindingMethod | undefined, vendor: FindingMethod | undefined): FindingMethod | undefined {
  if (!vendor) return ehr;
  if (!ehr) return vendor;
  const method = RANK[vendor.method] > RANK[ehr.method] ? vendor.method : ehr.method;
  const reasons = [ehr, vendor].filter((m) => m.method !== 'api' || m.method === method).map((m) => m.reason);
  return { method, reason: [...new Set(reasons)].join('; '), via: [...ehr.via, ...vendor.via] };
}
