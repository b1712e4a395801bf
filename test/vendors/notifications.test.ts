// Which resources a notification names, in each shape an EHR may deliver it.
import { describe, expect, it } from 'vitest';
import { notificationFocus } from '../../fixtures/vendors/subscription.js';

const status = (type: string, focus?: string) => ({
  resourceType: 'Parameters',
  parameter: [
    { name: 'type', valueCode: type },
    ...(focus ? [{ name: 'notification-event', part: [{ name: 'event-number', valueString: '1' }, { name: 'focus', valueReference: { reference: focus } }] }] : []),
  ],
});
const history = (...entry: unknown[]) => ({ resourceType: 'Bundle', type: 'history', entry });

describe('notification focus', () => {
  it('ignores handshakes and heartbeats', () => {
    expect(notificationFocus(history({ resource: status('handshake') }))).toEqual({ kind: 'none' });
    expect(notificationFocus(history({ resource: status('heartbeat') }))).toEqual({ kind: 'none' });
  });

  it('reads an id-only Backport notification (status focus and entry fullUrl)', () => {
    const seen = notificationFocus(
      history({ resource: status('event-notification', 'http://ehr/fhir/R4/Slot/s1') }, { fullUrl: 'http://ehr/fhir/R4/Slot/s1', request: { method: 'PUT', url: 'Slot/s1' } }),
    );
    expect(seen).toEqual({ kind: 'changed', focus: [{ type: 'Slot', id: 's1' }] });
  });

  it('keeps a full resource when one is carried', () => {
    const appointment = { resourceType: 'Appointment', id: 'a1', status: 'booked', slot: [{ reference: 'Slot/s2' }] };
    const seen = notificationFocus(history({ resource: status('event-notification', 'Appointment/a1') }, { fullUrl: 'http://ehr/Appointment/a1', resource: appointment }));
    expect(seen).toEqual({ kind: 'changed', focus: [{ type: 'Appointment', id: 'a1', resource: appointment }] });
  });

  it('reads an R4B/R5 SubscriptionStatus and a bare resource', () => {
    const r5 = { resourceType: 'SubscriptionStatus', type: 'event-notification', notificationEvent: [{ focus: { reference: 'Slot/s3' } }] };
    expect(notificationFocus(history({ resource: r5 }))).toEqual({ kind: 'changed', focus: [{ type: 'Slot', id: 's3' }] });
    const bare = { resourceType: 'Slot', id: 's4', status: 'busy' };
    expect(notificationFocus(bare)).toEqual({ kind: 'changed', focus: [{ type: 'Slot', id: 's4', resource: bare }] });
  });

  it('asks for a full re-read when it cannot tell what changed', () => {
    expect(notificationFocus(undefined)).toEqual({ kind: 'unknown' });
    expect(notificationFocus(history({ resource: status('event-notification') }))).toEqual({ kind: 'unknown' });
    expect(notificationFocus({ resourceType: 'Patient', id: 'p' })).toEqual({ kind: 'unknown' });
  });
});
