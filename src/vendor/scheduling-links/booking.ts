// Booking through a feed: a feed cannot book, a person follows the slot's booking deep link or calls its phone.
// The delegate that does so (a person channel, wired by whoever opens the feed channel) is told the slot's route.
import type { Appointment } from '@medplum/fhirtypes';
import type { VendorChannel } from '../channel.js';
import type { VendorAnswer } from '../outcome.js';
import { BOOKING_DEEP_LINK, BOOKING_PHONE, localId } from './conformance.js';
import type { FeedReading } from './feed.js';

/** Where the feed says a slot is booked: its booking-deep-link and booking-phone extensions. */
export interface BookingRoute {
  deepLink?: string;
  phone?: string;
  /** The feed's own id of the slot. */
  feedSlot: string;
}

/**
 * Who books and registers for a feed: a channel that reaches the publisher's booking page or phone (a person
 * channel). `book` is given the slot's route from the feed, when the feed lists the slot, for the person's step.
 */
export interface BookingDelegate extends Pick<VendorChannel, 'can' | 'registerPatient'>, Partial<Pick<VendorChannel, 'findBooking' | 'personSteps' | 'close'>> {
  book(appointment: Appointment, bookingIdentifier: string, route?: BookingRoute): Promise<VendorAnswer>;
}

/** The feed slot of those Schedules at the appointment's start and end (as instants), and where it says to book it. */
export function bookingRouteOf(feed: FeedReading, appointment: Appointment, scheduleIds: readonly string[]): BookingRoute | undefined {
  const start = Date.parse(appointment.start ?? '');
  const end = Date.parse(appointment.end ?? '');
  const slot = feed.resources.slots.find(
    (s) =>
      s.status === 'free' &&
      Date.parse(String(s.start)) === start &&
      Date.parse(String(s.end)) === end &&
      scheduleIds.includes(localId((s.schedule as { reference?: unknown } | undefined)?.reference, 'Schedule') ?? ''),
  );
  if (!slot) return undefined;
  const extensions = Array.isArray(slot.extension) ? (slot.extension as Array<Record<string, unknown>>) : [];
  const value = (url: string, key: string) => extensions.find((e) => e?.url === url && typeof e[key] === 'string')?.[key] as string | undefined;
  const deepLink = value(BOOKING_DEEP_LINK, 'valueUrl');
  const phone = value(BOOKING_PHONE, 'valueString');
  return { feedSlot: slot.id, ...(deepLink && { deepLink }), ...(phone && { phone }) };
}
