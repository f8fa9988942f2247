import type { INestApplication } from '@nestjs/common';
import { eventually, ManualClock, SmtpTestServer } from '@cs/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { confirmedBooking, listNotifications } from './support/app';
import { ForeignEvents } from './support/foreign-events';
import { type Harness, startHarness } from './support/harness';

let harness: Harness;
let smtp: SmtpTestServer;
let app: INestApplication;
let bus: ForeignEvents;
const clock = new ManualClock(Date.parse('2027-07-01T08:00:00Z'));

beforeAll(async () => {
  // A poll this slow never comes round during the test: only the wake-up can send.
  harness = await startHarness(clock, {
    env: { DISPATCH_INTERVAL_MS: String(24 * 3_600_000) },
    contacts: (
      [
        ['pro', 'pro-1', 'anna@pros.example'],
        ['client', 'client-1', 'jan@clients.example'],
      ] as const
    ).map(([kind, id, email]) => ({
      kind,
      id,
      person: { name: id, email, locale: 'en', timeZone: 'Europe/Amsterdam' },
    })),
  });
  ({ smtp, app, bus } = harness);
});
afterAll(async () => {
  await harness?.stop();
});

describe('waking the dispatcher', () => {
  it('sends a notification that falls due now without waiting for the next poll', async () => {
    await bus.publish(
      'booking',
      'pro-schedule-pro-1',
      'booking.confirmed',
      confirmedBooking('w-1', '2027-07-05T09:00:00Z', '2027-07-05T10:00:00Z'),
      clock.now().toISOString(),
    );
    await eventually(async () => {
      const invitations = (await listNotifications(app, { bookingId: 'w-1' })).filter(
        (n) => n.kind === 'invitation',
      );
      expect(invitations.map((n) => n.status)).toEqual(['sent', 'sent']);
    });
    expect(smtp.delivered.map((m) => m.envelopeTo[0]).sort()).toEqual([
      'anna@pros.example',
      'jan@clients.example',
    ]);
    const reminders = (await listNotifications(app, { bookingId: 'w-1' })).filter(
      (n) => n.kind === 'reminder',
    );
    expect(reminders.map((n) => n.status)).toEqual(Array(reminders.length).fill('scheduled'));
  });
});
