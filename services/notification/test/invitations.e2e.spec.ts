import type { INestApplication } from '@nestjs/common';
import { UTC, instantOf, parseCalendar } from '@cs/ical';
import { eventually, ManualClock, SmtpTestServer, type ReceivedMail } from '@cs/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { confirmedBooking, listNotifications, putContact } from './support/app';
import { ForeignEvents } from './support/foreign-events';
import { type Harness, startHarness } from './support/harness';

let harness: Harness;
let smtp: SmtpTestServer;
let app: INestApplication;
let bus: ForeignEvents;
const clock = new ManualClock(Date.parse('2027-03-01T09:00:00Z'));

beforeAll(async () => {
  harness = await startHarness(clock, {
    contacts: [
      {
        kind: 'pro',
        id: 'pro-1',
        person: {
          name: 'Anna de Vries',
          email: 'anna@pros.example',
          locale: 'en-GB',
          timeZone: 'Europe/London',
        },
      },
      {
        kind: 'client',
        id: 'client-1',
        person: {
          name: 'Jan Jansen',
          email: 'jan@clients.example',
          phone: '+31612345678',
          locale: 'nl-NL',
          timeZone: 'Europe/Amsterdam',
        },
      },
    ],
  });
  ({ smtp, app, bus } = harness);
});
afterAll(async () => {
  await harness?.stop();
});

const mailsTo = (address: string, method: string) =>
  smtp.delivered.filter((m) => m.envelopeTo.includes(address) && m.calendar?.method === method);

function invitationOf(mail: ReceivedMail) {
  const calendar = parseCalendar(mail.calendar!.content);
  expect(calendar.errors).toEqual([]);
  expect(calendar.events).toHaveLength(1);
  const event = calendar.events[0]!;
  return {
    method: calendar.method,
    uid: event.uid,
    sequence: event.sequence,
    status: event.status,
    start: new Date(instantOf(event.start, UTC)).toISOString(),
    zone: event.start.kind === 'zoned' ? event.start.zone.id : null,
    attendees: event.attendees.map((a) => a.email).sort(),
    organizer: event.organizer?.email,
  };
}

describe('invitations', () => {
  it('sends the client and the Pro an iTIP REQUEST with the booking UID, times in their zone and language', async () => {
    await bus.publish(
      'booking',
      'pro-schedule-pro-1',
      'booking.confirmed',
      confirmedBooking('b-1', '2027-03-10T13:00:00Z', '2027-03-10T13:45:00Z'),
    );
    const [toClient, toPro] = await eventually(async () => {
      const client = mailsTo('jan@clients.example', 'REQUEST');
      const pro = mailsTo('anna@pros.example', 'REQUEST');
      expect(client).toHaveLength(1);
      expect(pro).toHaveLength(1);
      return [client[0]!, pro[0]!];
    });

    for (const [mail, zone] of [
      [toClient, 'Europe/Amsterdam'],
      [toPro, 'Europe/London'],
    ] as const) {
      expect(invitationOf(mail)).toEqual({
        method: 'REQUEST',
        uid: 'booking-b-1@bookings.careservice',
        sequence: 0,
        status: 'confirmed',
        start: '2027-03-10T13:00:00.000Z',
        zone,
        attendees: ['anna@pros.example', 'jan@clients.example'],
        organizer: 'agenda@careservice.local',
      });
      expect(mail.calendar!.content).toContain('BEGIN:VTIMEZONE');
      expect(mail.html).toContain('<p>');
    }
    expect(toClient.subject).toContain('Afspraak bevestigd');
    expect(toClient.text).toContain('14:00');
    expect(toClient.text).toContain('Anna de Vries');
    expect(toPro.subject).toContain('Appointment confirmed');
    expect(toPro.text).toContain('13:00');
    expect(toPro.text).toContain('Jan Jansen');

    await eventually(async () => {
      const listed = await listNotifications(app, { bookingId: 'b-1' });
      expect(
        listed.filter((n) => n.kind === 'invitation').map((n) => [n.to, n.status, n.sentAt]),
      ).toEqual([
        ['jan@clients.example', 'sent', '2027-03-01T09:00:00.000Z'],
        ['anna@pros.example', 'sent', '2027-03-01T09:00:00.000Z'],
      ]);
    });
    expect(new Set(smtp.delivered.map((m) => m.messageId)).size).toBe(smtp.delivered.length);
  });

  it('sends an update with the same UID and a higher SEQUENCE on a reschedule, then a CANCEL', async () => {
    await bus.publish('booking', 'pro-schedule-pro-1', 'booking.rescheduled', {
      bookingId: 'b-1',
      proId: 'pro-1',
      serviceId: 'wound-care',
      start: '2027-03-11T08:00:00Z',
      end: '2027-03-11T08:45:00Z',
      previous: {
        proId: 'pro-1',
        serviceId: 'wound-care',
        start: '2027-03-10T13:00:00Z',
        end: '2027-03-10T13:45:00Z',
      },
    });
    const update = await eventually(async () => {
      const requests = mailsTo('jan@clients.example', 'REQUEST');
      expect(requests).toHaveLength(2);
      expect(mailsTo('anna@pros.example', 'REQUEST')).toHaveLength(2);
      return invitationOf(requests[1]!);
    });
    expect(update).toMatchObject({
      uid: 'booking-b-1@bookings.careservice',
      sequence: 1,
      start: '2027-03-11T08:00:00.000Z',
    });
    expect(mailsTo('jan@clients.example', 'REQUEST')[1]!.subject).toContain('verplaatst');

    await bus.publish('booking', 'pro-schedule-pro-1', 'booking.cancelled', {
      bookingId: 'b-1',
      proId: 'pro-1',
      reason: 'client is in hospital',
    });
    const cancels = await eventually(async () => {
      const client = mailsTo('jan@clients.example', 'CANCEL');
      const pro = mailsTo('anna@pros.example', 'CANCEL');
      expect(client).toHaveLength(1);
      expect(pro).toHaveLength(1);
      return [client[0]!, pro[0]!];
    });
    for (const mail of cancels) {
      expect(invitationOf(mail)).toMatchObject({
        method: 'CANCEL',
        uid: 'booking-b-1@bookings.careservice',
        sequence: 2,
        status: 'cancelled',
      });
    }
    expect(cancels[1]!.text).toContain('client is in hospital');
  });

  it('tells each Pro of a group booking once per change, and the client once, with one SEQUENCE', async () => {
    await putContact(app, 'pro', 'pro-g', {
      name: 'Bram Bakker',
      email: 'bram@pros.example',
      locale: 'nl-NL',
      timeZone: 'Europe/Amsterdam',
    });
    const proIds = ['pro-1', 'pro-g'];
    const part = (proId: string) =>
      confirmedBooking('b-g', '2027-03-12T09:00:00Z', '2027-03-12T10:00:00Z', { proId, proIds });
    const sequences = (address: string, method: string) =>
      smtp.delivered
        .filter(
          (m) =>
            m.envelopeTo.includes(address) &&
            m.calendar?.method === method &&
            m.calendar.content.includes('booking-b-g@'),
        )
        .map((m) => invitationOf(m).sequence);
    const everyone = ['jan@clients.example', 'anna@pros.example', 'bram@pros.example'];

    for (const proId of proIds)
      await bus.publish('booking', `pro-schedule-${proId}`, 'booking.confirmed', part(proId));
    await eventually(async () => {
      for (const address of everyone) expect(sequences(address, 'REQUEST')).toEqual([0]);
    });

    for (const proId of proIds)
      await bus.publish('booking', `pro-schedule-${proId}`, 'booking.rescheduled', {
        bookingId: 'b-g',
        proId,
        serviceId: 'wound-care',
        start: '2027-03-12T14:00:00Z',
        end: '2027-03-12T15:00:00Z',
        previous: {
          proId,
          serviceId: 'wound-care',
          start: '2027-03-12T09:00:00Z',
          end: '2027-03-12T10:00:00Z',
        },
      });
    await eventually(async () => {
      for (const address of everyone) expect(sequences(address, 'REQUEST')).toEqual([0, 1]);
    });

    for (const proId of proIds)
      await bus.publish('booking', `pro-schedule-${proId}`, 'booking.cancelled', {
        bookingId: 'b-g',
        proId,
        reason: 'family visit',
      });
    await eventually(async () => {
      for (const address of everyone) expect(sequences(address, 'CANCEL')).toEqual([2]);
    });
    expect(sequences('jan@clients.example', 'REQUEST')).toEqual([0, 1]);
  });

  it('keeps a notification for someone without a contact visible as failed and sends it once the contact exists', async () => {
    await bus.publish(
      'booking',
      'pro-schedule-pro-2',
      'booking.confirmed',
      confirmedBooking('b-2', '2027-03-12T10:00:00Z', '2027-03-12T11:00:00Z', { proId: 'pro-2' }),
    );
    const failed = await eventually(async () => {
      const items = await listNotifications(app, { bookingId: 'b-2' });
      const toPro = items.find((n) => n.kind === 'invitation' && n.recipient.kind === 'pro');
      expect(toPro).toMatchObject({ status: 'failed', attempts: 1 });
      expect(toPro!.lastError).toContain('no contact for pro pro-2');
      expect(toPro!.nextAttemptAt).not.toBeNull();
      return toPro!;
    });
    // The client's invitation was not held up by the Pro's.
    await eventually(async () =>
      expect(
        mailsTo('jan@clients.example', 'REQUEST').some((m) =>
          m.calendar!.content.includes('booking-b-2@'),
        ),
      ).toBe(true),
    );

    await putContact(app, 'pro', 'pro-2', {
      name: 'Piet',
      email: 'piet@pros.example',
      locale: 'nl',
      timeZone: 'Europe/Amsterdam',
    });
    clock.set(failed.nextAttemptAt!);
    await eventually(async () => expect(mailsTo('piet@pros.example', 'REQUEST')).toHaveLength(1));
    await eventually(async () => {
      const [sent] = (await listNotifications(app, { bookingId: 'b-2' })).filter(
        (n) => n.id === failed.id,
      );
      expect(sent).toMatchObject({ status: 'sent', attempts: 2, to: 'piet@pros.example' });
    });
  });
});
