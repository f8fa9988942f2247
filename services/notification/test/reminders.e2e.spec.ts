import type { INestApplication } from '@nestjs/common';
import { eventually, ManualClock, SmtpTestServer, type TestContext } from '@cs/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { confirmedBooking, listNotifications, putContact } from './support/app';
import { ForeignEvents } from './support/foreign-events';
import { type Harness, jan, startHarness } from './support/harness';
import { type SmsApi } from './support/sms-api';

let harness: Harness;
let ctx: TestContext;
let smtp: SmtpTestServer;
let sms: SmsApi;
let app: INestApplication;
let bus: ForeignEvents;
const clock = new ManualClock(Date.parse('2027-04-01T08:00:00Z'));

const proSettings = {
  timeZone: 'Europe/Amsterdam',
  territoryId: 'nl-utrecht',
  homeLocation: null,
  services: [],
  weeklyHours: [],
  dateOverrides: [],
  minNoticeMinutes: null,
  horizonDays: null,
  maxBookingsPerDay: null,
  slotStepMinutes: 15,
  worksOnHolidays: false,
  staleSourcePolicy: 'ignore',
};

beforeAll(async () => {
  harness = await startHarness(clock, {
    sms: true,
    contacts: [
      {
        kind: 'pro',
        id: 'pro-1',
        person: {
          name: 'Anna',
          email: 'anna@pros.example',
          locale: 'en',
          timeZone: 'Europe/Amsterdam',
        },
      },
      {
        kind: 'client',
        id: 'client-1',
        person: jan,
      },
    ],
  });
  ({ ctx, smtp, app, bus } = harness);
  sms = harness.sms!;
  await bus.publish('availability', 'pro-pro-1', 'pro.settings_replaced', {
    proId: 'pro-1',
    settings: proSettings,
  });
  await bus.publish('availability', 'territory-nl-utrecht', 'territory.settings_replaced', {
    territoryId: 'nl-utrecht',
    settings: {
      timeZone: 'Europe/Amsterdam',
      holidayRegion: 'NL',
      averageSpeedKmh: null,
      detourFactor: null,
      serviceRadiusKm: null,
      defaults: {
        minNoticeMinutes: null,
        horizonDays: null,
        maxBookingsPerDay: null,
        reminderOffsetsMinutes: [1440, 60],
      },
    },
  });
});
afterAll(async () => {
  await harness?.stop();
});

const reminders = async (bookingId: string) =>
  (await listNotifications(app, { bookingId }))
    .filter((n) => n.kind === 'reminder')
    .map((n) => `${n.channel} ${n.scheduledFor} ${n.status}`)
    .sort();

const reminderMails = () => smtp.delivered.filter((m) => m.subject?.startsWith('Herinnering'));

const publishBooking = async (bookingId: string, start: string, end: string) => {
  // The availability stream is read by its own consumer; let the territory's offsets arrive first.
  await eventually(async () => {
    const { rows } = await ctx.pool.query(
      'SELECT 1 FROM pro_territories p JOIN territory_reminders t USING (territory_id)',
    );
    expect(rows).toHaveLength(1);
  });
  await bus.publish(
    'booking',
    'pro-schedule-pro-1',
    'booking.confirmed',
    confirmedBooking(bookingId, start, end),
    clock.now().toISOString(),
  );
};

describe('reminders', () => {
  it('fire at the territory offsets by email and SMS, move with a reschedule and vanish with a cancellation', async () => {
    await publishBooking('r-1', '2027-04-03T10:00:00Z', '2027-04-03T11:00:00Z');
    await eventually(async () =>
      expect(await reminders('r-1')).toEqual([
        'email 2027-04-02T10:00:00.000Z scheduled',
        'email 2027-04-03T09:00:00.000Z scheduled',
        'sms 2027-04-02T10:00:00.000Z scheduled',
        'sms 2027-04-03T09:00:00.000Z scheduled',
      ]),
    );

    clock.set('2027-04-02T10:00:00Z');
    await eventually(async () => {
      expect(reminderMails()).toHaveLength(1);
      expect(sms.received).toHaveLength(1);
    });
    expect(reminderMails()[0]!.text).toContain('12:00');
    expect(sms.received[0]).toMatchObject({ to: '+31612345678', from: '+3197010000000' });
    expect(sms.received[0]!.body).toContain('Herinnering');

    await bus.publish(
      'booking',
      'pro-schedule-pro-1',
      'booking.rescheduled',
      {
        bookingId: 'r-1',
        proId: 'pro-1',
        serviceId: 'wound-care',
        start: '2027-04-05T10:00:00Z',
        end: '2027-04-05T11:00:00Z',
        previous: {
          proId: 'pro-1',
          serviceId: 'wound-care',
          start: '2027-04-03T10:00:00Z',
          end: '2027-04-03T11:00:00Z',
        },
      },
      clock.now().toISOString(),
    );
    await eventually(async () =>
      expect(await reminders('r-1')).toEqual([
        'email 2027-04-02T10:00:00.000Z sent',
        'email 2027-04-03T09:00:00.000Z cancelled',
        'email 2027-04-04T10:00:00.000Z scheduled',
        'email 2027-04-05T09:00:00.000Z scheduled',
        'sms 2027-04-02T10:00:00.000Z sent',
        'sms 2027-04-03T09:00:00.000Z cancelled',
        'sms 2027-04-04T10:00:00.000Z scheduled',
        'sms 2027-04-05T09:00:00.000Z scheduled',
      ]),
    );

    clock.set('2027-04-04T10:00:00Z');
    await eventually(async () => {
      expect(reminderMails()).toHaveLength(2);
      expect(sms.received).toHaveLength(2);
    });

    await bus.publish('booking', 'pro-schedule-pro-1', 'booking.cancelled', {
      bookingId: 'r-1',
      proId: 'pro-1',
      reason: 'no longer needed',
    });
    await eventually(async () =>
      expect((await reminders('r-1')).filter((r) => r.includes('2027-04-05'))).toEqual([
        'email 2027-04-05T09:00:00.000Z cancelled',
        'sms 2027-04-05T09:00:00.000Z cancelled',
      ]),
    );
    clock.set('2027-04-05T09:30:00Z');
    const sentBefore = reminderMails().length;
    // One more booking that falls due now proves the dispatcher ran after the cancellation.
    await publishBooking('r-probe', '2027-04-05T09:40:00Z', '2027-04-05T09:50:00Z');
    await eventually(async () =>
      expect(
        smtp.delivered.filter((m) => m.calendar?.content.includes('booking-r-probe@')),
      ).not.toHaveLength(0),
    );
    expect(reminderMails()).toHaveLength(sentBefore);
  });

  it('sends a reminder missed while down if the appointment is still ahead, and skips it once it has begun', async () => {
    clock.set('2027-05-01T08:00:00Z');
    await publishBooking('r-late', '2027-05-03T10:00:00Z', '2027-05-03T11:00:00Z');
    await publishBooking('r-begun', '2027-05-03T09:00:00Z', '2027-05-03T10:00:00Z');
    await eventually(async () => expect(await reminders('r-begun')).toHaveLength(4));

    clock.set('2027-05-03T09:30:00Z');
    await eventually(async () => {
      expect(await reminders('r-late')).toEqual([
        'email 2027-05-02T10:00:00.000Z sent',
        'email 2027-05-03T09:00:00.000Z sent',
        'sms 2027-05-02T10:00:00.000Z sent',
        'sms 2027-05-03T09:00:00.000Z sent',
      ]);
      expect(await reminders('r-begun')).toEqual([
        'email 2027-05-02T09:00:00.000Z cancelled',
        'email 2027-05-03T08:00:00.000Z cancelled',
        'sms 2027-05-02T09:00:00.000Z cancelled',
        'sms 2027-05-03T08:00:00.000Z cancelled',
      ]);
    });
  });

  it("follows the client's own offsets over the territory's", async () => {
    await putContact(app, 'client', 'client-1', {
      name: 'Jan',
      email: 'jan@clients.example',
      phone: '+31612345678',
      locale: 'nl-NL',
      timeZone: 'Europe/Amsterdam',
      reminderOffsetsMinutes: [30],
    });
    clock.set('2027-06-01T08:00:00Z');
    await publishBooking('r-pref', '2027-06-02T10:00:00Z', '2027-06-02T11:00:00Z');
    await eventually(async () =>
      expect(await reminders('r-pref')).toEqual([
        'email 2027-06-02T09:30:00.000Z scheduled',
        'sms 2027-06-02T09:30:00.000Z scheduled',
      ]),
    );
  });
});
