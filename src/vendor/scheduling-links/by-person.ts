// Booking through a Scheduling Links feed: the feed names, per slot, a booking deep link and a phone; a person follows
// one of them, as a patient would. This is the feed channel's booking delegate (./booking.ts): a person channel
// (src/vendor/person.ts) told, for each booking, where the feed says to book that slot. Registering a patient has no
// address in a feed, and a booking page keeps no record ehr-check can read: both stay `none`, with the reason.
import type { Appointment } from '@medplum/fhirtypes';
import type { SchedulingLinksVendorEndpoint } from '../../model/plan.js';
import { StepSkipped } from '../../operator/types.js';
import type { VendorAbilities } from '../channel.js';
import { PersonVendorChannel, type PersonChannelOptions } from '../person.js';
import type { BookingDelegate, BookingRoute } from './booking.js';

const NO_REGISTRATION = 'a Scheduling Links feed names where to book a slot, not where to register a patient';

export const FEED_BOOKING_ABILITIES: VendorAbilities = {
  freeSlots: { by: 'api' },
  book: { by: 'person' },
  bookingKey: false,
  findBooking: { by: 'none', reason: 'a booking page followed from a feed keeps no record the tool can read' },
  registerPatient: { by: 'none', reason: NO_REGISTRATION },
};

/** A person who books a feed's slot at its deep link (a web page), else by its phone. */
export function feedBookingByPerson(vendor: SchedulingLinksVendorEndpoint, options: PersonChannelOptions): BookingDelegate {
  // The person channel's own address is never used: every booking names the slot's route.
  const person = new PersonVendorChannel({ kind: 'person', channel: { type: 'web', address: vendor.manifestUrl } }, options);
  return {
    can: FEED_BOOKING_ABILITIES,
    book(appointment: Appointment, bookingIdentifier: string, route?: BookingRoute) {
      const at = route?.deepLink ? ({ type: 'web', address: route.deepLink } as const) : route?.phone ? ({ type: 'phone', address: route.phone } as const) : undefined;
      if (!at) return Promise.reject(new StepSkipped('the feed names no booking deep link or phone for this slot, so a person cannot book it'));
      return person.book(appointment, bookingIdentifier, at);
    },
    registerPatient: () => Promise.reject(new StepSkipped(NO_REGISTRATION)),
    personSteps: (mark) => person.personSteps(mark),
    close: () => person.close(),
  };
}
