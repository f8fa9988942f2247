import { bodyOf } from '@cs/client';
import { eventually, startSystem, type System } from '@cs/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  at,
  bookingUid,
  calendarItems,
  clientEmail,
  connectCalDav,
  externalEvent,
  invitations,
  people,
  proEmail,
  registerClient,
  SERVICE,
  setUpPro,
  setUpTerritory,
  upcomingWeekday,
  waitForSlots,
  type People,
} from './support/scenario';
import { systemClient } from './support/client';
import { audit, replay, type ReplayEntry } from './support/system-api';

const PRO = 'pro-anna';
const CLIENT = 'client-jan';
const DATE = upcomingWeekday(7);
const MINUTE = 60_000;

let system: System;
let who: People;

beforeAll(async () => {
  system = await startSystem();
  who = await people(system);
}, 180_000);
afterAll(async () => {
  await system?.stop();
});

describe('the whole chain, through all five services', () => {
  it("books, mirrors and invites; a clash in the Pro's calendar moves the booking, the copy and the invitation; the audit links each step to its cause", async () => {
    // A Pro is set up and connects a CalDAV calendar.
    await setUpTerritory(system, who);
    await setUpPro(system, who, PRO);
    await registerClient(system, who, CLIENT);
    const { calendarId } = await connectCalDav(system, who, PRO, {
      serverUrl: system.caldav.url,
      username: system.caldav.username,
      password: system.caldav.password,
    });
    await waitForSlots(system, who, PRO, DATE);

    // A client who lets the system move the visit books it.
    const client = systemClient(system, { token: await who.client(CLIENT) });
    const booked = await eventually(
      async () =>
        bodyOf(
          await client.booking.post('/v1/bookings', {
            headers: { 'x-correlation-id': 'whole-chain-booking' },
            body: {
              serviceId: SERVICE,
              proId: PRO,
              start: at(DATE, '10:00'),
              client: { clientId: CLIENT, timeZone: 'Europe/Amsterdam', locale: 'en' },
              flexibility: { allowAutoReschedule: true },
            },
          }),
          201,
        ),
      30_000,
      500,
    );
    expect(booked).toMatchObject({ status: 'confirmed', start: at(DATE, '10:00') });
    const uid = bookingUid(booked.bookingId);

    // The event appears in the CalDAV server, the invitation in the mail catcher.
    await eventually(
      async () =>
        expect(await calendarItems(system.caldav)).toContainEqual(
          expect.objectContaining({ uid, start: booked.start, end: booked.end }),
        ),
      30_000,
      250,
    );
    const invited = await eventually(
      async () => {
        const sent = invitations(system).filter((i) => i.uid === uid);
        expect(sent.map((i) => i.to).sort()).toEqual([clientEmail(CLIENT), proEmail(PRO)]);
        return sent;
      },
      30_000,
      250,
    );
    for (const invitation of invited)
      expect(invitation).toMatchObject({ method: 'REQUEST', sequence: 0, start: booked.start });

    // The Pro adds a clashing appointment in their own calendar app.
    const clashStart = new Date(Date.parse(booked.start) - 30 * MINUTE).toISOString();
    const clashEnd = new Date(Date.parse(booked.start) + 30 * MINUTE).toISOString();
    await system.caldav.put(
      `${system.caldav.calendarUrl}dentist.ics`,
      externalEvent('dentist@calendar.app', clashStart, clashEnd),
    );

    // Detected, with alternatives, and moved automatically clear of the clash.
    const moved = await eventually(
      async () => {
        const shown = bodyOf(
          await client.booking.get('/v1/bookings/{bookingId}', {
            params: { bookingId: booked.bookingId },
          }),
          200,
        );
        expect(shown.start).not.toBe(booked.start);
        return shown;
      },
      60_000,
      250,
    );
    expect(moved.status).toBe('confirmed');
    expect(
      Date.parse(moved.start) >= Date.parse(clashEnd) ||
        Date.parse(moved.end) + 15 * MINUTE <= Date.parse(clashStart),
    ).toBe(true);
    expect(moved.conflicts).toEqual([
      expect.objectContaining({ eventUid: 'dentist@calendar.app', resolution: 'auto_reschedule' }),
    ]);
    expect(moved.conflicts![0]!.alternatives.length).toBeGreaterThan(0);

    // The copy in the Pro's calendar moves, and both people get the update.
    await eventually(
      async () => {
        const items = (await calendarItems(system.caldav)).filter((i) => i.uid === uid);
        expect(items).toEqual([expect.objectContaining({ start: moved.start, end: moved.end })]);
      },
      30_000,
      250,
    );
    const updates = await eventually(
      async () => {
        const sent = invitations(system).filter((i) => i.uid === uid && i.sequence > 0);
        expect(sent.map((i) => i.to).sort()).toEqual([clientEmail(CLIENT), proEmail(PRO)]);
        return sent;
      },
      30_000,
      250,
    );
    for (const update of updates)
      expect(update).toMatchObject({ method: 'REQUEST', sequence: 1, start: moved.start });

    // The audit replay: the booking's history across the five event stores, in causal order,
    // every step naming the event that caused it.
    const history = await replay(system, ['--booking', booked.bookingId]);
    const step = (type: string, where: (e: ReplayEntry) => boolean = () => true) => {
      const found = history.filter((e) => e.type === type && where(e));
      expect({ [type]: found.length, history: history.map((e) => e.type) }).toMatchObject({
        [type]: 1,
      });
      return found[0]!;
    };
    const confirmed = step('booking.confirmed');
    expect(confirmed.correlationId).toBe('whole-chain-booking');
    expect(history.filter((e) => e.cause.kind !== 'event').map((e) => e.type)).toEqual([
      'booking.confirmed',
    ]);
    const position = new Map(history.map((e, i) => [e.id, i]));
    for (const [i, entry] of history.entries())
      if (entry.cause.kind === 'event' && entry.cause.inHistory)
        expect(position.get(entry.cause.event.id)).toBeLessThan(i);

    const causeOf = (entry: ReplayEntry) =>
      entry.cause.kind === 'event' ? entry.cause.event : undefined;
    const mirroredFirst = step('calendar.booking_mirrored', (e) => e.data.action === 'created');
    expect(causeOf(mirroredFirst)?.id).toBe(confirmed.id);
    for (const sent of history.filter((e) => e.data.kind === 'invitation'))
      expect(causeOf(sent)?.id).toBe(confirmed.id);

    const detected = step('booking.conflict_detected');
    expect(detected.data).toMatchObject({
      calendarId,
      eventUid: 'dentist@calendar.app',
      resolution: 'auto_reschedule',
    });
    expect((detected.data.alternatives as unknown[]).length).toBeGreaterThan(0);
    // The clash came from the Pro's calendar: sync's record of it, outside the booking's history.
    const calendar = await audit(system, 'sync', `calendar-${calendarId}`, who.operator);
    const clash = calendar.find(
      (e) => e.type === 'calendar.event_upserted' && e.data.eventUid === 'dentist@calendar.app',
    );
    expect(causeOf(detected)).toMatchObject({
      id: clash?.id,
      type: 'calendar.event_upserted',
      service: system.schemas.sync,
    });
    const rescheduled = step('booking.rescheduled');
    expect(rescheduled.data).toMatchObject({ automatic: true, start: moved.start });
    expect(causeOf(rescheduled)?.id).toBe(clash?.id);
    const mirroredMove = step('calendar.booking_mirrored', (e) => e.data.action === 'updated');
    expect(causeOf(mirroredMove)?.id).toBe(rescheduled.id);
    const updatesSent = history.filter(
      (e) => e.type === 'notification.sent' && e.data.kind === 'update',
    );
    expect(updatesSent).toHaveLength(2);
    for (const sent of updatesSent) expect(causeOf(sent)?.id).toBe(rescheduled.id);

    const notAllowed = await client.audit('booking', `pro-schedule-${PRO}`);
    expect(notAllowed.status).toBe(403);
  });
});
