import type { INestApplication } from '@nestjs/common';
import { eventually, ManualClock, SmtpTestServer, type TestContext } from '@cs/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { confirmedBooking, listNotifications } from './support/app';
import { ForeignEvents } from './support/foreign-events';
import { type Harness, startHarness } from './support/harness';

let harness: Harness;
let ctx: TestContext;
let smtp: SmtpTestServer;
let app: INestApplication;
let bus: ForeignEvents;
const clock = new ManualClock(Date.parse('2027-03-01T09:00:00Z'));

beforeAll(async () => {
  harness = await startHarness(clock, {
    env: { APP_URL: 'https://app.example' },
    contacts: [
      {
        kind: 'pro',
        id: 'pro-1',
        person: {
          name: 'Anna',
          email: 'anna@pros.example',
          locale: 'nl-NL',
          timeZone: 'Europe/Amsterdam',
        },
      },
    ],
  });
  ({ ctx, smtp, app, bus } = harness);
});
afterAll(async () => {
  await harness?.stop();
});

const alerts = async () =>
  (await listNotifications(app, { proId: 'pro-1' })).filter((n) => n.kind === 'alert');

const syncState = (state: string) =>
  bus.publish('sync', 'calendar-c-1', 'calendar.sync_state_changed', {
    proId: 'pro-1',
    connectionId: 'conn-1',
    calendarId: 'c-1',
    state,
    lastError: state === 'ok' ? null : 'invalid_grant',
  });

describe('alerts', () => {
  it('tells the Pro once per episode that a connection needs re-authorisation, with a link', async () => {
    await bus.publish('connector', 'connection-conn-1', 'connection.reauth_required', {
      connectionId: 'conn-1',
      proId: 'pro-1',
      reason: 'refresh token revoked',
    });
    await syncState('reauth_required');
    await eventually(async () => {
      const mails = smtp.delivered.filter((m) => m.subject?.includes('agendakoppeling'));
      expect(mails).toHaveLength(1);
      expect(mails[0]!.text).toContain('https://app.example/connections/conn-1/authorize');
      expect(mails[0]!.html).toContain('href="https://app.example/connections/conn-1/authorize"');
    });
    // The later report of the same episode must have been applied without a second alert.
    await syncState('ok');
    await syncState('reauth_required');
    await eventually(async () => expect(await alerts()).toHaveLength(2));
    await eventually(async () =>
      expect((await alerts()).map((a) => a.status)).toEqual(['sent', 'sent']),
    );
  });

  it('tells the Pro once about a conflict that needs a person', async () => {
    await bus.publish(
      'booking',
      'pro-schedule-pro-1',
      'booking.confirmed',
      confirmedBooking('c-b-1', '2027-03-10T13:00:00Z', '2027-03-10T13:45:00Z'),
    );
    const conflict = {
      bookingId: 'c-b-1',
      proId: 'pro-1',
      calendarId: 'c-1',
      eventUid: 'dentist@google.com',
      alternatives: [
        { start: '2027-03-10T15:00:00Z', end: '2027-03-10T15:45:00Z', proIds: ['pro-1'] },
      ],
      resolution: 'needs_person',
    };
    await bus.publish('booking', 'pro-schedule-pro-1', 'booking.conflict_detected', conflict);
    await bus.publish('booking', 'pro-schedule-pro-1', 'booking.conflict_detected', conflict);
    await eventually(async () => {
      const mails = smtp.delivered.filter((m) => m.subject?.startsWith('Conflict'));
      expect(mails).toHaveLength(1);
      expect(mails[0]!.text).toContain('https://app.example/bookings/c-b-1');
    });
    const { rows } = await ctx.pool.query(
      `SELECT count(*)::int AS n FROM notifications WHERE dedupe_key LIKE 'alert:conflict:%'`,
    );
    expect(rows[0].n).toBe(1);
  });

  it('tells the Pro once that a booking they changed in their own calendar was put back, with a link to keep their change', async () => {
    await bus.publish(
      'booking',
      'pro-schedule-pro-1',
      'booking.confirmed',
      confirmedBooking('x-b-1', '2027-03-12T13:00:00Z', '2027-03-12T13:45:00Z'),
    );
    await eventually(async () =>
      expect(await listNotifications(app, { bookingId: 'x-b-1' })).not.toHaveLength(0),
    );
    const recorded = {
      conflictId: 'sc-1',
      proId: 'pro-1',
      bookingId: 'x-b-1',
      calendarId: 'c-1',
      eventUid: 'booking-x-b-1@careservice',
      kind: 'moved',
      theirs: { start: '2027-03-12T15:00:00Z', end: '2027-03-12T15:45:00Z' },
      policy: 'platform_wins',
    };
    await bus.publish('sync', 'calendar-c-1', 'calendar.sync_conflict_recorded', recorded);
    await bus.publish('sync', 'calendar-c-1', 'calendar.sync_conflict_recorded', recorded);
    await eventually(async () => {
      const mails = smtp.delivered.filter((m) => m.subject?.includes('teruggezet'));
      expect(mails).toHaveLength(1);
      expect(mails[0]!.envelopeTo).toEqual(['anna@pros.example']);
      expect(mails[0]!.text).toContain('verplaatst');
      // 13:00 UTC is 14:00 in Amsterdam: the platform's time, not the Pro's.
      expect(mails[0]!.text).toContain('14:00');
      expect(mails[0]!.html).toContain('href="https://app.example/sync-conflicts/sc-1"');
    });
    // A later conflict on the same calendar arrives after the repeat, so the repeat was handled.
    await bus.publish('sync', 'calendar-c-1', 'calendar.sync_conflict_recorded', {
      ...recorded,
      conflictId: 'sc-2',
      kind: 'deleted',
      theirs: null,
    });
    await eventually(async () => {
      const mails = smtp.delivered.filter((m) => m.subject?.includes('teruggezet'));
      expect(mails.map((m) => m.text?.includes('verwijderd'))).toEqual([false, true]);
    });
    const { rows } = await ctx.pool.query(
      `SELECT dedupe_key FROM notifications WHERE dedupe_key LIKE 'alert:changed-outside:%' ORDER BY 1`,
    );
    expect(rows.map((r) => r.dedupe_key)).toEqual([
      'alert:changed-outside:sc-1',
      'alert:changed-outside:sc-2',
    ]);
  });
});
