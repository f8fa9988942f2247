import type { INestApplication } from '@nestjs/common';
import type { Envelope } from '@cs/contracts';
import { signTestToken } from '@cs/platform';
import {
  eventually,
  startCalDavServer,
  TEST_JWT_SECRET,
  type CalDavServerHandle,
  type TestContext,
} from '@cs/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  busEvents as eventsOnBus,
  type ConnectorAndSync,
  startConnectorAndSync,
} from './support/connector-and-sync';
import { bookingConfirmed, bookingRescheduled, publishBooking } from './support/booking-events';
import { type ProApi, signInPro } from './support/pro-api';

let system: ConnectorAndSync;
let ctx: TestContext;
let connectorOutput: () => string;
let sync: INestApplication;
let radicale: CalDavServerHandle;
let guarded: CalDavServerHandle | undefined;
let pro: ProApi;
let syncSchema: string;

const PRO = 'pro-7';
const vevent = (uid: string, start: string, extra: string[] = []) => [
  'BEGIN:VEVENT',
  `UID:${uid}`,
  'DTSTAMP:20261120T080000Z',
  `DTSTART:${start}`,
  'DURATION:PT1H',
  ...extra,
  'END:VEVENT',
];
const event = (uid: string, start: string) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//plain client//EN',
    ...vevent(uid, start),
    'END:VCALENDAR',
    '',
  ].join('\r\n');

beforeAll(async () => {
  radicale = await startCalDavServer('radicale', {
    // An email-address login: the address the connector reports as the calendar owner's.
    credentials: { username: 'nina@example.org', password: 'pw-of-nina' },
  });
  // Debug logs, so the test can show that no password reaches them.
  system = await startConnectorAndSync(() => ({ LOG_LEVEL: 'debug' }));
  ({ ctx, connectorOutput, sync } = system);
  syncSchema = `${ctx.schema}_sync`;
  pro = await signInPro(system, PRO);
});
afterAll(async () => {
  await system.stop();
  await radicale.dispose();
  await guarded?.dispose();
});

/** Everything on a stream so far (sync's unless told), as a consumer on the bus sees it. */
const busEvents = (type: string, context: 'sync' | 'connector' = 'sync'): Promise<Envelope[]> =>
  eventsOnBus(ctx, type, context);

const api = (app: INestApplication | string) =>
  request(typeof app === 'string' ? app : app.getHttpServer());
const bookingRow = async (bookingId: string) =>
  (
    await ctx.pool.query(
      `SELECT href, etag FROM ${syncSchema}.sync_bookings WHERE booking_id = $1`,
      [bookingId],
    )
  ).rows[0] as { href: string | null; etag: string | null } | undefined;

describe('two-way sync with Radicale', () => {
  let connectionId: string;
  let calendarId: string;

  it('connects, and the calendar is synced on its own', async () => {
    await radicale.put(
      `${radicale.calendarUrl}dentist.ics`,
      event('dentist@plain', '20261201T090000Z'),
    );
    const created = await pro
      .connect({
        provider: 'caldav',
        serverUrl: radicale.url,
        username: 'nina@example.org',
        password: 'pw-of-nina',
      })
      .expect(201);
    connectionId = created.body.connectionId;
    calendarId = created.body.calendars[0].calendarId;
    expect(created.body.calendars[0]).toMatchObject({ name: 'Personal', writeTarget: true });
    const status = await eventually(async () => {
      const current = await pro.syncStatus(connectionId);
      expect(current.calendars[0].lastSyncedAt).not.toBeNull();
      return current;
    });
    expect(status).toMatchObject({
      connectionId,
      state: 'ok',
      calendars: [{ calendarId, pendingWrites: 0 }],
    });
    const upserted = await eventually(async () => {
      const events = await busEvents('calendar.event_upserted');
      expect(events).toHaveLength(1);
      return events;
    });
    expect(upserted[0]!.data).toMatchObject({
      proId: PRO,
      calendarId,
      eventUid: 'dentist@plain',
      start: '2026-12-01T09:00:00.000Z',
      end: '2026-12-01T10:00:00.000Z',
      bookingId: null,
    });
    expect((await pro.connections())[0]!.calendars[0]!.sync).toMatchObject({
      state: 'ok',
      paused: false,
    });
  });

  it('sends only what changed on the server, recurring instances included', async () => {
    await radicale.put(
      `${radicale.calendarUrl}yoga.ics`,
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//plain client//EN',
        ...vevent('yoga@plain', '20261202T180000Z', ['RRULE:FREQ=WEEKLY;COUNT=4']),
        ...vevent('yoga@plain', '20261209T190000Z', ['RECURRENCE-ID:20261209T180000Z']),
        ...vevent('yoga@plain', '20261216T180000Z', [
          'RECURRENCE-ID:20261216T180000Z',
          'STATUS:CANCELLED',
        ]),
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    );
    await pro.syncNow(connectionId);
    const yoga = await eventually(async () => {
      const events = (await busEvents('calendar.event_upserted')).filter(
        (e) => (e.data as { eventUid: string }).eventUid === 'yoga@plain',
      );
      expect(events).toHaveLength(3);
      return events.map(
        (e) => e.data as { recurrenceId: string | null; status: string; start: string },
      );
    });
    expect(yoga).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ recurrenceId: null, start: '2026-12-02T18:00:00.000Z' }),
        expect.objectContaining({
          recurrenceId: '2026-12-09T18:00:00.000Z',
          start: '2026-12-09T19:00:00.000Z',
        }),
        expect.objectContaining({ recurrenceId: '2026-12-16T18:00:00.000Z', status: 'cancelled' }),
      ]),
    );
    const dentistBefore = (await busEvents('calendar.event_upserted')).filter(
      (e) => (e.data as { eventUid: string }).eventUid === 'dentist@plain',
    );
    expect(dentistBefore).toHaveLength(1);

    await radicale.put(
      `${radicale.calendarUrl}dentist.ics`,
      event('dentist@plain', '20261201T140000Z'),
    );
    await pro.syncNow(connectionId);
    await eventually(async () => {
      const dentist = (await busEvents('calendar.event_upserted')).filter(
        (e) => (e.data as { eventUid: string }).eventUid === 'dentist@plain',
      );
      expect(dentist.map((e) => (e.data as { start: string }).start)).toEqual([
        '2026-12-01T09:00:00.000Z',
        '2026-12-01T14:00:00.000Z',
      ]);
    });
    expect(
      (await busEvents('calendar.event_upserted')).filter(
        (e) => (e.data as { eventUid: string }).eventUid === 'yoga@plain',
      ),
    ).toHaveLength(3);
  });

  it('audits every run with its cause and mode, a run without changes too', async () => {
    type Run = { cause: string; mode: string; changes: number; fetched: number };
    const runs = async () =>
      (await busEvents('calendar.synced')).map((e) => e.data as Run & { calendarId: string });
    const before = (await runs()).length;
    expect((await runs())[0]).toMatchObject({ cause: 'connected', mode: 'full' });
    await pro.syncNow(connectionId);
    const idle = await eventually(async () => {
      const all = await runs();
      expect(all.length).toBeGreaterThan(before);
      return all[all.length - 1]!;
    });
    expect(idle).toMatchObject({
      calendarId,
      cause: 'manual',
      mode: 'delta',
      changes: 0,
      fetched: 0,
    });
    await pro.syncNow(connectionId, true);
    await eventually(async () => {
      const all = await runs();
      expect(all[all.length - 1]).toMatchObject({ cause: 'manual', mode: 'full', changes: 0 });
    });
  });

  it('mirrors a booking once, moves it on reschedule, restores it when the Pro moves it, removes it on cancel', async () => {
    const bookingId = 'bk-1';
    const slot = {
      proId: PRO,
      serviceId: 'wound-care',
      start: '2026-12-03T09:00:00.000Z',
      end: '2026-12-03T09:45:00.000Z',
    };
    await publishBooking(ctx, 'booking.confirmed', bookingConfirmed(bookingId, slot), 1);
    const first = await eventually(async () => {
      const row = await bookingRow(bookingId);
      expect(row?.etag).toBeTruthy();
      return row!;
    });
    const url = new URL(first.href!, radicale.url).href;
    const copy = await radicale.get(url);
    expect(copy?.ics).toContain(`UID:booking-${bookingId}@bookings.careservice`);
    expect(copy?.ics).toContain(`X-CARESERVICE-BOOKING-ID:${bookingId}`);
    expect(copy?.ics).toMatch(/DTSTART;TZID=Europe\/Amsterdam:20261203T100000/);

    // Our own write comes back through the next sync as unchanged: no event, no conflict.
    await pro.syncNow(connectionId);
    await eventually(async () => {
      const mirrored = await busEvents('calendar.booking_mirrored');
      expect(mirrored.map((e) => (e.data as { action: string }).action)).toEqual(['created']);
    });
    expect(
      (await busEvents('calendar.event_upserted')).some((e) =>
        (e.data as { eventUid: string }).eventUid.startsWith('booking-'),
      ),
    ).toBe(false);

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
      expect((await radicale.get(url))?.ics).toMatch(
        /DTSTART;TZID=Europe\/Amsterdam:20261203T140000/,
      ),
    );

    // The Pro drags it to another time in their calendar app.
    const current = (await radicale.get(url))!;
    await radicale.put(
      url,
      current.ics
        .replace(
          /DTSTART;TZID=Europe\/Amsterdam:20261203T140000/,
          'DTSTART;TZID=Europe/Amsterdam:20261203T170000',
        )
        .replace(
          /DTEND;TZID=Europe\/Amsterdam:20261203T144500/,
          'DTEND;TZID=Europe/Amsterdam:20261203T174500',
        ),
    );
    await pro.syncNow(connectionId);
    const conflicts = await eventually(async () => {
      const response = await api(sync)
        .get(`/v1/connections/${connectionId}/conflicts`)
        .set('authorization', `Bearer ${pro.token}`)
        .expect(200);
      expect(response.body.items).toHaveLength(1);
      return response.body.items;
    });
    expect(conflicts[0]).toMatchObject({
      bookingId,
      kind: 'moved',
      status: 'open',
      policy: 'platform_wins',
    });
    await eventually(async () =>
      expect((await radicale.get(url))?.ics).toMatch(
        /DTSTART;TZID=Europe\/Amsterdam:20261203T140000/,
      ),
    );
    await eventually(async () => {
      const actions = (await busEvents('calendar.booking_mirrored')).map(
        (e) => (e.data as { action: string }).action,
      );
      expect(actions).toEqual(['created', 'updated', 'restored']);
    });
    const resolved = await api(sync)
      .post(`/v1/sync-conflicts/${conflicts[0].conflictId}/resolve`)
      .set('authorization', `Bearer ${pro.token}`)
      .send({ keep: 'ours' })
      .expect(201);
    expect(resolved.body).toMatchObject({ status: 'resolved', keep: 'ours' });
    await api(sync)
      .post(`/v1/sync-conflicts/${conflicts[0].conflictId}/resolve`)
      .set('authorization', `Bearer ${pro.token}`)
      .send({ keep: 'theirs' })
      .expect(409);

    await publishBooking(
      ctx,
      'booking.cancelled',
      { bookingId, proId: PRO, reason: 'client ill' },
      3,
    );
    await eventually(async () => expect(await radicale.get(url)).toBeNull());
  });

  it('under the reschedule-request policy, a move or deletion by the Pro becomes a request for booking', async () => {
    await api(sync)
      .put(`/v1/pros/${PRO}/sync-policy`)
      .set('authorization', `Bearer ${pro.token}`)
      .send({ mirroredEdits: 'reschedule_request' })
      .expect(200);
    const bookingId = 'bk-2';
    await publishBooking(
      ctx,
      'booking.confirmed',
      bookingConfirmed(
        bookingId,
        {
          proId: PRO,
          serviceId: 'wound-care',
          start: '2026-12-05T09:00:00.000Z',
          end: '2026-12-05T09:45:00.000Z',
        },
        {
          bufferAfterMinutes: 0,
          client: { clientId: 'c-2', timeZone: 'Europe/Amsterdam', locale: 'nl' },
        },
      ),
      1,
    );
    const row = await eventually(async () => {
      const found = await bookingRow(bookingId);
      expect(found?.etag).toBeTruthy();
      return found!;
    });
    const url = new URL(row.href!, radicale.url).href;
    const moved = (await radicale.get(url))!.ics
      .replace(
        'DTSTART;TZID=Europe/Amsterdam:20261205T100000',
        'DTSTART;TZID=Europe/Amsterdam:20261205T150000',
      )
      .replace(
        'DTEND;TZID=Europe/Amsterdam:20261205T104500',
        'DTEND;TZID=Europe/Amsterdam:20261205T154500',
      );
    await radicale.put(url, moved);
    await pro.syncNow(connectionId);
    const requests = async () =>
      (await busEvents('calendar.reschedule_requested')).map((e) => e.data as object);
    await eventually(async () =>
      expect(await requests()).toEqual([
        expect.objectContaining({
          bookingId,
          proId: PRO,
          kind: 'moved',
          requested: { start: '2026-12-05T14:00:00.000Z', end: '2026-12-05T14:45:00.000Z' },
        }),
      ]),
    );
    const conflicts = await api(sync)
      .get(`/v1/connections/${connectionId}/conflicts`)
      .set('authorization', `Bearer ${pro.token}`)
      .expect(200);
    expect(
      conflicts.body.items.find((c: { bookingId: string }) => c.bookingId === bookingId),
    ).toMatchObject({
      kind: 'moved',
      policy: 'reschedule_request',
      status: 'open',
    });
    // The Pro's version stays until booking decides: nothing is restored.
    await pro.syncNow(connectionId);
    await eventually(async () =>
      expect(await bookingRow(bookingId)).toMatchObject({ etag: (await radicale.get(url))!.etag }),
    );
    expect((await radicale.get(url))!.ics).toContain(
      'DTSTART;TZID=Europe/Amsterdam:20261205T150000',
    );
    expect(
      (await busEvents('calendar.booking_mirrored'))
        .map((e) => e.data as { bookingId: string; action: string })
        .filter((d) => d.bookingId === bookingId)
        .map((d) => d.action),
    ).toEqual(['created']);

    await radicale.remove(url);
    await pro.syncNow(connectionId);
    await eventually(async () =>
      expect(await requests()).toEqual([
        expect.objectContaining({ kind: 'moved' }),
        expect.objectContaining({ bookingId, kind: 'deleted', requested: null }),
      ]),
    );
    const policy = await api(sync)
      .put(`/v1/pros/${PRO}/sync-policy`)
      .set('authorization', `Bearer ${pro.token}`)
      .send({ mirroredEdits: 'platform_wins' })
      .expect(200);
    expect(policy.body).toEqual({ proId: PRO, mirroredEdits: 'platform_wins' });
    await api(sync)
      .put(`/v1/pros/${PRO}/sync-policy`)
      .set('authorization', `Bearer ${pro.token}`)
      .send({ mirroredEdits: 'ignore' })
      .expect(422);
    const set = await eventually(async () => {
      const events = await busEvents('calendar.sync_policy_set');
      expect(events).toHaveLength(2);
      return events.map((e) => (e.data as { mirroredEdits: string }).mirroredEdits);
    });
    expect(set).toEqual(['reschedule_request', 'platform_wins']);
  });

  it('goes degraded while the server is down, loses nothing, and recovers when it returns', async () => {
    await radicale.stop();
    await pro.syncNow(connectionId);
    const degraded = await eventually(async () => {
      const current = await pro.syncStatus(connectionId);
      expect(current.state).toBe('degraded');
      return current;
    });
    expect(degraded.calendars[0].lastError).toMatch(/unreachable|timed out/);
    expect(await busEvents('calendar.event_removed')).toEqual([]);
    const failed = await eventually(async () => {
      const events = await busEvents('calendar.sync_failed');
      expect(events.length).toBeGreaterThan(0);
      return events[0]!.data;
    });
    expect(failed).toMatchObject({
      cause: 'manual',
      errorKind: 'transient',
      retryAt: expect.any(String),
    });
    await radicale.start();
    await radicale.put(`${radicale.calendarUrl}late.ics`, event('late@plain', '20261204T090000Z'));
    await pro.syncNow(connectionId);
    await eventually(async () => {
      expect((await pro.syncStatus(connectionId)).state).toBe('ok');
      const late = (await busEvents('calendar.event_upserted')).filter(
        (e) => (e.data as { eventUid: string }).eventUid === 'late@plain',
      );
      expect(late).toHaveLength(1);
    });
    const states = (await busEvents('calendar.sync_state_changed')).map(
      (e) => (e.data as { state: string }).state,
    );
    expect(states).toEqual(['degraded', 'ok']);
  });

  it('pauses and resumes, each an audited event', async () => {
    await api(sync)
      .post(`/v1/connections/${connectionId}/pause`)
      .set('authorization', `Bearer ${pro.token}`)
      .expect(202);
    expect((await pro.syncStatus(connectionId)).paused).toBe(true);
    await api(sync)
      .post(`/v1/connections/${connectionId}/resume`)
      .set('authorization', `Bearer ${pro.token}`)
      .expect(202);
    await eventually(async () => {
      const actions = (await busEvents('calendar.sync_controlled')).map(
        (e) => (e.data as { action: string }).action,
      );
      expect(actions).toEqual(expect.arrayContaining(['paused', 'resumed']));
    });
    const other = await signTestToken(TEST_JWT_SECRET, {
      sub: 'u-8',
      roles: ['pro'],
      proId: 'pro-8',
    });
    await api(sync)
      .post(`/v1/connections/${connectionId}/pause`)
      .set('authorization', `Bearer ${other}`)
      .expect(403);
  });

  it('never writes the CalDAV password to the connector log or the bus', async () => {
    expect(connectorOutput()).toContain('"level":"debug"');
    expect(connectorOutput()).not.toContain('pw-of-nina');
    const consumer = await ctx.js.consumers.get(ctx.naming.stream('connector'));
    const messages = await consumer.fetch({ max_messages: 1_000, expires: 1_000 });
    const seen: string[] = [];
    for await (const msg of messages) {
      seen.push(msg.string());
      if (msg.info.pending === 0) break;
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.join('\n')).not.toContain('pw-of-nina');
  });

  it('frees an invitation the owner declined, and moves every instance from a THISANDFUTURE override on', async () => {
    const calendar = (...lines: string[]) =>
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//plain client//EN',
        ...lines,
        'END:VCALENDAR',
        '',
      ].join('\r\n');
    await radicale.put(
      `${radicale.calendarUrl}board.ics`,
      calendar(
        ...vevent('board@plain', '20261203T090000Z', [
          'ORGANIZER:mailto:chair@example.org',
          'ATTENDEE;PARTSTAT=DECLINED:mailto:Nina@Example.org',
          'ATTENDEE;PARTSTAT=ACCEPTED:mailto:chair@example.org',
        ]),
      ),
    );
    await radicale.put(
      `${radicale.calendarUrl}standup.ics`,
      calendar(
        ...vevent('standup@plain', '20261207T080000Z', ['RRULE:FREQ=WEEKLY;COUNT=4']),
        'BEGIN:VEVENT',
        'UID:standup@plain',
        'DTSTAMP:20261120T080000Z',
        'RECURRENCE-ID;RANGE=THISANDFUTURE:20261221T080000Z',
        'DTSTART:20261221T090000Z',
        'DURATION:PT2H',
        'END:VEVENT',
      ),
    );
    await pro.syncNow(connectionId);
    type Upserted = {
      eventUid: string;
      start: string;
      end: string;
      rrule: string | null;
      declinedByPro: boolean;
    };
    const published = await eventually(async () => {
      const events = (await busEvents('calendar.event_upserted'))
        .map((e) => e.data as Upserted)
        .filter((e) => /^(board|standup)@plain/.test(e.eventUid));
      expect(events).toHaveLength(3);
      return events;
    });
    expect(published).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ eventUid: 'board@plain', declinedByPro: true }),
        expect.objectContaining({
          eventUid: 'standup@plain',
          start: '2026-12-07T08:00:00.000Z',
          rrule: 'FREQ=WEEKLY;COUNT=2',
          declinedByPro: false,
        }),
        expect.objectContaining({
          eventUid: 'standup@plain/RANGE=THISANDFUTURE/2026-12-21T08:00:00.000Z',
          start: '2026-12-21T09:00:00.000Z',
          end: '2026-12-21T11:00:00.000Z',
          rrule: 'FREQ=WEEKLY;COUNT=2',
        }),
      ]),
    );
  });

  it('removes the busy time of a disconnected calendar', async () => {
    await pro.disconnect(connectionId);
    await eventually(async () => {
      const removed = (await busEvents('calendar.event_removed')).map(
        (e) => (e.data as { eventUid: string }).eventUid,
      );
      expect(new Set(removed)).toEqual(
        new Set([
          'dentist@plain',
          'yoga@plain',
          'late@plain',
          'board@plain',
          'standup@plain',
          'standup@plain/RANGE=THISANDFUTURE/2026-12-21T08:00:00.000Z',
        ]),
      );
    });
  });
});

describe('a CalDAV password that stops working', () => {
  const proId = 'pro-9';
  let omar: ProApi;
  let connectionId: string;
  const status = async () =>
    (await omar.syncStatus(connectionId)) as {
      state: string;
      calendars: Array<{ lastError: string | null }>;
    };
  const connectionStatus = async () => (await omar.connections())[0]!.status;

  beforeAll(async () => {
    omar = await signInPro(system, proId);
    guarded = await startCalDavServer('radicale', {
      credentials: { username: 'omar', password: 'first-pw' },
    });
    const created = await omar
      .connect({
        provider: 'caldav',
        serverUrl: guarded.url,
        username: 'omar',
        password: 'first-pw',
      })
      .expect(201);
    connectionId = created.body.connectionId;
    await eventually(async () => expect((await status()).state).toBe('ok'));
  });

  it('needs re-authorisation after repeated refusals, says so once on the bus, and recovers', async () => {
    guarded!.changePassword('changed-elsewhere');
    await omar.syncNow(connectionId);
    const refused = await eventually(async () => {
      const current = await status();
      expect(current.state).toBe('reauth_required');
      return current;
      // Three refusals, each after its back-off: a minute on a loaded machine.
    }, 60_000);
    expect(refused.calendars[0]!.lastError).toMatch(/refused the credentials/);
    const announced = await eventually(async () => {
      const events = (await busEvents('connection.reauth_required', 'connector')).filter(
        (e) => (e.data as { connectionId: string }).connectionId === connectionId,
      );
      expect(events).toHaveLength(1);
      return events[0]!;
    });
    expect(announced.data).toMatchObject({ proId, reason: expect.stringMatching(/credentials/) });
    expect(JSON.stringify(announced)).not.toContain('first-pw');
    await eventually(async () => expect(await connectionStatus()).toBe('reauth_required'));
    const states = (await busEvents('calendar.sync_state_changed'))
      .map((e) => e.data as { connectionId: string; state: string })
      .filter((d) => d.connectionId === connectionId)
      .map((d) => d.state);
    expect(states).toEqual(['degraded', 'reauth_required']);

    guarded!.changePassword('first-pw');
    await api(sync)
      .post(`/v1/connections/${connectionId}/resume`)
      .set('authorization', `Bearer ${omar.token}`)
      .expect(202);
    await eventually(async () => expect((await status()).state).toBe('ok'));
    await eventually(async () => expect(await connectionStatus()).toBe('active'));
    expect(
      (await busEvents('connection.reauth_required', 'connector')).filter(
        (e) => (e.data as { connectionId: string }).connectionId === connectionId,
      ),
    ).toHaveLength(1);
  }, 180_000);
});
