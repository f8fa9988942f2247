import {
  eventually,
  type GraphCalendarEmulator,
  type GraphEventInput,
  type TestContext,
} from '@cs/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bookingConfirmed, bookingRescheduled, publishBooking } from './support/booking-events';
import { busEvents as eventsOnBus } from './support/connector-and-sync';
import { startWithGraph, type WithGraph } from './support/microsoft-connection';
import { expectReauthRequired, expireStates, forgedCallback } from './support/oauth-connection';
import { type ProApi, signInPro } from './support/pro-api';
import { graphConsent } from './support/provider-emulators';

let running: WithGraph;
let ctx: TestContext;
let graph: GraphCalendarEmulator;
let pro: ProApi;

const PRO = 'pro-m';
const zone = 'W. Europe Standard Time';
const at = (day: string, from: string, to: string, extra: GraphEventInput = {}) => ({
  subject: `${day} ${from}`,
  start: { dateTime: `${day}T${from}:00`, timeZone: zone },
  end: { dateTime: `${day}T${to}:00`, timeZone: zone },
  ...extra,
});

beforeAll(async () => {
  running = await startWithGraph();
  ({ graph } = running);
  ({ ctx } = running.system);
  pro = await signInPro(running.system, PRO);
});
afterAll(async () => {
  await running?.stop();
});

const busEvents = (type: string, context: 'sync' | 'connector' = 'sync') =>
  eventsOnBus(ctx, type, context);
type Change = { eventUid: string; start: string; transparent: boolean };
const changes = async (type: 'calendar.event_upserted' | 'calendar.event_removed') =>
  (await busEvents(type)).map((e) => e.data as Change);
const consent = (authorizeUrl: string) => graphConsent(graph, authorizeUrl);

describe('Microsoft Outlook through the connector and sync', () => {
  let connectionId: string;

  it('refuses a forged, replayed, expired or other provider’s state and changes nothing', async () => {
    const pending = await pro.startConnecting('microsoft');
    const back = new URL(await consent(pending.authorizeUrl));
    expect(back.pathname).toBe('/v1/oauth/microsoft/callback');
    const refused = await pro.callback(forgedCallback(back)).expect(401);
    expect(refused.body.type).toContain('oauth-state-refused');
    await pro.callback(new URL(`/v1/oauth/google/callback${back.search}`, back)).expect(400);

    const other = await pro.startConnecting('microsoft');
    const otherBack = new URL(await consent(other.authorizeUrl));
    await expireStates(ctx, other.connectionId);
    await pro.callback(otherBack).expect(400);
    await pro.callback(otherBack).expect(400);
    expect(await pro.connections()).toEqual(
      [pending, other].map((p) =>
        expect.objectContaining({
          connectionId: p.connectionId,
          status: 'pending_authorization',
          calendars: [],
        }),
      ),
    );
    for (const p of [pending, other]) await pro.disconnect(p.connectionId);
  });

  it('connects through consent and the callback; the Pro’s events become busy time', async () => {
    graph.asUser.create(null, at('2026-12-01', '10:00', '11:00', { subject: 'dentist' }));
    graph.asUser.create(null, at('2026-12-01', '12:00', '13:00', { showAs: 'free' }));
    const pending = await pro.startConnecting('microsoft');
    expect(pending.status).toBe('pending_authorization');
    const authorize = new URL(pending.authorizeUrl);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      client_id: graph.client.clientId,
      code_challenge_method: 'S256',
      response_type: 'code',
    });
    expect(authorize.searchParams.get('scope')?.split(' ')).toEqual(
      expect.arrayContaining(['Calendars.ReadWrite', 'offline_access']),
    );
    const back = new URL(await consent(pending.authorizeUrl));
    const completed = await pro.callback(back).expect(200);
    connectionId = completed.body.connectionId;
    expect(completed.body).toMatchObject({
      connectionId: pending.connectionId,
      status: 'active',
      calendars: [{ name: 'Calendar', writeTarget: true, writable: true }],
    });
    await pro.callback(back).expect(400);

    const upserted = await eventually(async () => {
      const events = await changes('calendar.event_upserted');
      expect(events).toHaveLength(2);
      return events;
    });
    expect(upserted.map((e) => [e.start, e.transparent]).sort()).toEqual([
      ['2026-12-01T09:00:00.000Z', false],
      ['2026-12-01T11:00:00.000Z', true],
    ]);
    const sealed = await ctx.pool.query(
      `SELECT sealed_credentials FROM ${ctx.schema}.connections WHERE connection_id = $1`,
      [connectionId],
    );
    expect(sealed.rows[0].sealed_credentials).not.toMatch(/RefreshToken|homeAccountId/);
  });

  it('follows the Pro editing, deleting and cancelling one instance of a series', async () => {
    const dentist = graph.storedEvents(null).find((e) => e.subject === 'dentist')!;
    graph.asUser.create(null, {
      ...at('2026-12-07', '09:00', '10:00', { subject: 'physio' }),
      recurrence: {
        pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'] },
        range: { type: 'numbered', startDate: '2026-12-07', numberOfOccurrences: 3 },
      },
    });
    const [first, second, third] = graph.asUser
      .view(null, '2026-12-01T00:00:00Z', '2027-01-01T00:00:00Z')
      .filter((e) => e.subject === 'physio');
    await pro.syncNow(connectionId);
    await eventually(async () =>
      expect((await changes('calendar.event_upserted')).map((e) => e.eventUid)).toEqual(
        expect.arrayContaining([first!.id, second!.id, third!.id]),
      ),
    );

    graph.asUser.update(dentist.id, {
      start: { dateTime: '2026-12-01T15:00:00', timeZone: zone },
      end: { dateTime: '2026-12-01T16:00:00', timeZone: zone },
    });
    graph.asUser.update(second!.id, {
      start: { dateTime: '2026-12-14T14:00:00', timeZone: zone },
      end: { dateTime: '2026-12-14T15:00:00', timeZone: zone },
    });
    graph.asUser.delete(third!.id);
    await pro.syncNow(connectionId);
    await eventually(async () => {
      const upserted = await changes('calendar.event_upserted');
      expect(upserted).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ eventUid: dentist.id, start: '2026-12-01T14:00:00.000Z' }),
          expect.objectContaining({ eventUid: second!.id, start: '2026-12-14T13:00:00.000Z' }),
        ]),
      );
      expect((await changes('calendar.event_removed')).map((e) => e.eventUid)).toEqual([third!.id]);
    });
    graph.asUser.delete(dentist.id);
    await pro.syncNow(connectionId);
    await eventually(async () =>
      expect((await changes('calendar.event_removed')).map((e) => e.eventUid)).toEqual([
        third!.id,
        dentist.id,
      ]),
    );
  });

  it('writes a confirmed booking into Outlook once, marked as ours, moves it and removes it', async () => {
    const bookingId = 'bk-m1';
    const uid = `booking-${bookingId}@bookings.careservice`;
    const ours = () =>
      graph
        .storedEvents(null)
        .filter((e) =>
          (e.singleValueExtendedProperties as Array<{ value: string }> | undefined)?.some(
            (p) => p.value === uid,
          ),
        );
    const slot = {
      proId: PRO,
      serviceId: 'wound-care',
      start: '2026-12-03T09:00:00.000Z',
      end: '2026-12-03T09:45:00.000Z',
    };
    await publishBooking(ctx, 'booking.confirmed', bookingConfirmed(bookingId, slot), 1);
    const copy = await eventually(async () => {
      expect(ours()).toHaveLength(1);
      return ours()[0]!;
    });
    expect(copy).toMatchObject({
      start: { dateTime: '2026-12-03T09:00:00.0000000', timeZone: 'UTC' },
      singleValueExtendedProperties: [expect.objectContaining({ value: uid })],
    });
    await eventually(async () =>
      expect((await busEvents('calendar.booking_mirrored')).map((e) => e.data)).toEqual([
        expect.objectContaining({ bookingId, action: 'created' }),
      ]),
    );
    // Our copy coming back through the next delta is not external busy time.
    const before = await changes('calendar.event_upserted');
    const runs = (await busEvents('calendar.synced')).length;
    await pro.syncNow(connectionId);
    await eventually(async () =>
      expect((await busEvents('calendar.synced')).length).toBeGreaterThan(runs),
    );
    expect(await changes('calendar.event_upserted')).toEqual(before);
    expect(await busEvents('calendar.sync_conflict_recorded')).toEqual([]);

    await publishBooking(
      ctx,
      'booking.rescheduled',
      bookingRescheduled(bookingId, slot, {
        start: '2026-12-03T13:00:00.000Z',
        end: '2026-12-03T13:45:00.000Z',
      }),
      2,
    );
    await eventually(async () =>
      expect(ours()).toEqual([
        expect.objectContaining({
          id: copy.id,
          start: { dateTime: '2026-12-03T13:00:00.0000000', timeZone: 'UTC' },
        }),
      ]),
    );
    await publishBooking(
      ctx,
      'booking.cancelled',
      { bookingId, proId: PRO, reason: 'client ill' },
      3,
    );
    await eventually(async () => expect(ours()).toEqual([]));
    await eventually(async () =>
      expect(
        (await busEvents('calendar.booking_mirrored')).map(
          (e) => (e.data as { action: string }).action,
        ),
      ).toEqual(['created', 'updated', 'deleted']),
    );
  });

  it('recovers from an expired delta link with a full listing that loses nothing', async () => {
    const removed = (await changes('calendar.event_removed')).length;
    graph.expireDeltaTokens(null);
    const added = graph.asUser.create(null, at('2026-12-04', '11:00', '12:00'));
    // Asked again while waiting: a request that lands during a run already under way is
    // served by the next run, which on a loaded machine may be a poll interval away.
    await eventually(
      async () => {
        await pro.syncNow(connectionId);
        expect((await changes('calendar.event_upserted')).map((e) => e.eventUid)).toContain(
          added.id,
        );
      },
      45_000,
      1_000,
    );
    expect(
      graph.calls.some((c) => c.path.endsWith('/calendarView/delta') && c.status === 410),
    ).toBe(true);
    expect((await changes('calendar.event_removed')).length).toBe(removed);
  });

  it('slows down in a 429 storm with Retry-After, then syncs without losing anything', async () => {
    const removed = (await changes('calendar.event_removed')).length;
    graph.failNext(4, 429, { retryAfter: 1 });
    const added = graph.asUser.create(null, at('2026-12-05', '11:00', '12:00'));
    await pro.syncNow(connectionId);
    await eventually(
      async () =>
        expect((await changes('calendar.event_upserted')).map((e) => e.eventUid)).toContain(
          added.id,
        ),
      30_000,
    );
    const statuses = graph.calls
      .filter((c) => c.path.endsWith('/calendarView/delta'))
      .map((c) => c.status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(4);
    expect(statuses.at(-1)).toBe(200);
    expect((await changes('calendar.event_removed')).length).toBe(removed);
  });

  it('frees an invitation the Pro declined (the event’s responseStatus) and keeps an accepted one', async () => {
    const organizer = { name: 'Chair', address: 'chair@example.org' };
    const declined = graph.asUser.receive(null, at('2026-12-04', '10:00', '11:00'), {
      organizer,
      response: 'declined',
    });
    const accepted = graph.asUser.receive(null, at('2026-12-04', '12:00', '13:00'), {
      organizer,
      response: 'accepted',
    });
    // As Graph shows an invitation in the invitee's mailbox.
    expect(declined).toMatchObject({
      isOrganizer: false,
      responseStatus: { response: 'declined' },
      organizer: { emailAddress: organizer },
    });
    await pro.syncNow(connectionId);
    const published = await eventually(async () => {
      const events = (await busEvents('calendar.event_upserted')).map(
        (e) => e.data as { eventUid: string; declinedByPro: boolean; transparent: boolean },
      );
      const ours = [declined, accepted].map((e) => events.find((u) => u.eventUid === e.id));
      expect(ours.every(Boolean)).toBe(true);
      return ours;
    });
    expect(published.map((e) => [e!.declinedByPro, e!.transparent])).toEqual([
      [true, false],
      [false, false],
    ]);
  });

  it('marks the connection reauth_required once the Pro revokes consent', async () => {
    graph.revokeConsent();
    await expectReauthRequired(pro, ctx, connectionId);
  });
});
