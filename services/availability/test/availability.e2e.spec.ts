import { EventingLifecycle } from '@cs/eventing';
import { UTC, instantOf, parseCalendar } from '@cs/ical';
import { eventually } from '@cs/testing';
import request from 'supertest';
import { describe, expect, it } from '@jest/globals';
import { ScheduleCache } from '../src/infrastructure/read-model/schedule-cache';
import { useAvailabilityApp } from './support/app';
import { addDays, at, externalEvent, proSettings, upcomingMonday } from './support/fixtures';

const monday = upcomingMonday();

const suite = useAvailabilityApp({ pros: { 'pro-1': proSettings } });
const http = () => request(suite.app.getHttpServer());

const slotsOn = async (date: string, extra = '', token = suite.auth.client) => {
  const response = await http()
    .get(
      `/v1/pros/pro-1/availability?serviceId=wound-care&from=${at(date, '00:00')}&to=${at(addDays(date, 1), '00:00')}${extra}`,
    )
    .set('authorization', `Bearer ${token}`)
    .expect(200);
  return response.body;
};
const startsOn = async (date: string, extra = '') =>
  ((await slotsOn(date, extra)).slots as Array<{ start: string }>).map((s) =>
    s.start.slice(11, 16),
  );
const allDay = ['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00'];
const without = (...times: string[]) => allDay.filter((t) => !times.includes(t));

describe('GET /v1/pros/{proId}/availability', () => {
  it('answers slots with local times in the requested zone, from the settings', async () => {
    const body = await eventually(async () => {
      const answer = await slotsOn(monday, '&timeZone=Asia/Kolkata');
      expect(answer.slots).toHaveLength(8);
      return answer;
    });
    expect(body).toMatchObject({
      proId: 'pro-1',
      serviceId: 'wound-care',
      timeZone: 'Asia/Kolkata',
      sources: [],
    });
    expect(body.slots[0]).toEqual({
      start: `${monday}T09:00:00.000Z`,
      end: `${monday}T10:00:00.000Z`,
      localStart: `${monday}T14:30:00+05:30`,
      localEnd: `${monday}T15:30:00+05:30`,
    });
  });

  it('refuses an unknown service or zone with 422 and a missing range with 400', async () => {
    const unknown = await http()
      .get(
        `/v1/pros/pro-1/availability?serviceId=massage&from=${at(monday, '00:00')}&to=${at(monday, '12:00')}`,
      )
      .set('authorization', `Bearer ${suite.auth.client}`)
      .expect(422);
    expect(unknown.body.errors[0].field).toBe('serviceId');
    await http()
      .get(
        `/v1/pros/pro-1/availability?serviceId=wound-care&from=${at(monday, '00:00')}&to=${at(monday, '12:00')}&timeZone=Mars/Base`,
      )
      .set('authorization', `Bearer ${suite.auth.client}`)
      .expect(422);
    const missing = await http()
      .get('/v1/pros/pro-1/availability?serviceId=wound-care')
      .set('authorization', `Bearer ${suite.auth.client}`)
      .expect(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(['from', 'to']);
    await http()
      .get(
        `/v1/pros/nobody/availability?serviceId=wound-care&from=${at(monday, '00:00')}&to=${at(monday, '12:00')}`,
      )
      .set('authorization', `Bearer ${suite.auth.client}`)
      .expect(404);
  });

  it('drops a slot that runs into an external busy event, and gives it back when the event is removed', async () => {
    await suite.bus.publish(
      'sync',
      'cal-1:e-1',
      'calendar.event_upserted',
      externalEvent('pro-1', 'e-1', at(monday, '10:30'), at(monday, '10:45')),
    );
    await eventually(async () => expect(await startsOn(monday)).toEqual(without('10:00')));
    await suite.bus.publish('sync', 'cal-1:e-1', 'calendar.event_removed', {
      proId: 'pro-1',
      calendarId: 'cal-1',
      eventUid: 'e-1',
      recurrenceId: null,
    });
    await eventually(async () => expect(await startsOn(monday)).toEqual(allDay));
  });

  it('blocks a whole day for an all-day event', async () => {
    const tuesday = addDays(monday, 1);
    await suite.bus.publish('sync', 'cal-1:holiday', 'calendar.event_upserted', {
      ...externalEvent('pro-1', 'holiday', at(tuesday, '00:00'), at(addDays(tuesday, 1), '00:00')),
      allDay: true,
    });
    await eventually(async () => expect(await startsOn(tuesday)).toEqual([]));
    expect(await startsOn(monday)).toEqual(allDay);
  });

  it('blocks every occurrence of a weekly external event, and frees a cancelled occurrence', async () => {
    const wednesday = addDays(monday, 2);
    await suite.bus.publish('sync', 'cal-1:weekly', 'calendar.event_upserted', {
      ...externalEvent('pro-1', 'weekly', at(wednesday, '12:00'), at(wednesday, '13:00')),
      rrule: 'FREQ=WEEKLY',
    });
    for (const week of [0, 1, 4])
      await eventually(async () =>
        expect(await startsOn(addDays(wednesday, 7 * week))).toEqual(without('12:00')),
      );
    await suite.bus.publish('sync', 'cal-1:weekly', 'calendar.event_removed', {
      proId: 'pro-1',
      calendarId: 'cal-1',
      eventUid: 'weekly',
      recurrenceId: at(addDays(wednesday, 7), '12:00'),
    });
    await eventually(async () => expect(await startsOn(addDays(wednesday, 7))).toEqual(allDay));
    expect(await startsOn(addDays(wednesday, 14))).toEqual(without('12:00'));
  });

  it('drops a confirmed booking with its buffers and travel, and gives it back when cancelled', async () => {
    const thursday = addDays(monday, 3);
    const booking = {
      bookingId: 'b-1',
      proId: 'pro-1',
      serviceId: 'wound-care',
      start: at(thursday, '12:00'),
      end: at(thursday, '13:00'),
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 30,
      client: { clientId: 'c-9', timeZone: null, locale: null },
      location: { lat: 52.0907, lng: 5.1214, address: null },
      priority: 'normal',
      override: null,
    };
    await suite.bus.publish('booking', 'b-1', 'booking.confirmed', booking);
    await eventually(async () =>
      expect(await startsOn(thursday)).toEqual(without('12:00', '13:00')),
    );
    // A client 18 km away: 40 minutes of travel close the slots on either side as well.
    expect(await startsOn(thursday, '&lat=52.27&lng=5.12')).toEqual(
      without('11:00', '12:00', '13:00', '14:00'),
    );
    await suite.bus.publish('booking', 'b-1', 'booking.cancelled', {
      bookingId: 'b-1',
      proId: 'pro-1',
      reason: 'ill',
    });
    await eventually(async () => expect(await startsOn(thursday)).toEqual(allDay));
  });

  it('reports freshness per source calendar and honours the stale-source policy', async () => {
    await suite.bus.publish('sync', 'conn-1:cal-1', 'calendar.synced', {
      proId: 'pro-1',
      connectionId: 'conn-1',
      calendarId: 'cal-1',
      syncedAt: new Date(Date.now() - 3 * 3_600_000).toISOString(),
      changes: 0,
      cause: 'schedule',
      mode: 'delta',
      fetched: 0,
    });
    const body = await eventually(async () => {
      const answer = await slotsOn(monday);
      expect(answer.sources[0].lastSyncedAt).not.toBeNull();
      return answer;
    });
    expect(body.sources).toEqual([
      { calendarId: 'cal-1', lastSyncedAt: expect.any(String), stale: true },
    ]);
    expect(body.slots).toHaveLength(8);
    await http()
      .put('/v1/pros/pro-1')
      .set('authorization', `Bearer ${suite.auth.service}`)
      .send({ ...proSettings, staleSourcePolicy: 'unavailable' })
      .expect(200);
    await eventually(async () => expect((await slotsOn(monday)).blockedByStaleSource).toBe(true));
    expect((await slotsOn(monday)).slots).toEqual([]);
    await suite.bus.publish('sync', 'conn-1:cal-1', 'calendar.synced', {
      proId: 'pro-1',
      connectionId: 'conn-1',
      calendarId: 'cal-1',
      syncedAt: new Date().toISOString(),
      changes: 0,
      cause: 'schedule',
      mode: 'delta',
      fetched: 0,
    });
    await eventually(async () => expect((await slotsOn(monday)).slots).toHaveLength(8));
  });
});

describe('GET /v1/pros/{proId}/busy', () => {
  it('explains busy time by kind and source, for services and the Pro only', async () => {
    const friday = addDays(monday, 4);
    await suite.bus.publish('booking', 'b-2', 'booking.held', {
      bookingId: 'b-2',
      proId: 'pro-1',
      serviceId: 'wound-care',
      start: at(friday, '09:00'),
      end: at(friday, '10:00'),
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      client: { clientId: 'c-9', timeZone: null, locale: null },
      location: null,
      priority: 'normal',
      holdExpiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const url = `/v1/pros/pro-1/busy?from=${at(addDays(monday, 2), '00:00')}&to=${at(addDays(monday, 5), '00:00')}`;
    const body = await eventually(async () => {
      const answer = await http()
        .get(url)
        .set('authorization', `Bearer ${suite.auth.pro}`)
        .expect(200);
      expect({
        kinds: answer.body.intervals.map((i: { kind: string }) => i.kind),
        body: answer.body,
      }).toMatchObject({ kinds: ['external', 'hold'] });
      return answer.body;
    });
    expect(body.intervals).toEqual([
      {
        kind: 'external',
        start: `${addDays(monday, 2)}T12:00:00.000Z`,
        end: `${addDays(monday, 2)}T13:00:00.000Z`,
        calendarId: 'cal-1',
        eventUid: 'weekly',
        recurrenceId: `${addDays(monday, 2)}T12:00:00.000Z`,
      },
      {
        kind: 'hold',
        start: `${addDays(monday, 4)}T09:00:00.000Z`,
        end: `${addDays(monday, 4)}T10:00:00.000Z`,
        bookingId: 'b-2',
      },
    ]);
    await http().get(url).set('authorization', `Bearer ${suite.auth.client}`).expect(403);
  });

  it('exports the same busy time as an iCalendar file', async () => {
    const range = `from=${at(addDays(monday, 2), '00:00')}&to=${at(addDays(monday, 5), '00:00')}`;
    const response = await http()
      .get(`/v1/pros/pro-1/busy.ics?${range}`)
      .set('authorization', `Bearer ${suite.auth.pro}`)
      .expect(200);
    expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const events = parseCalendar(response.text).events;
    expect(events.map((e) => [e.summary, instantOf(e.start, UTC)])).toEqual([
      ['Busy', Date.parse(`${addDays(monday, 2)}T12:00:00Z`)],
      ['Busy (hold)', Date.parse(`${addDays(monday, 4)}T09:00:00Z`)],
    ]);
    await http()
      .get(`/v1/pros/pro-1/busy.ics?${range}`)
      .set('authorization', `Bearer ${suite.auth.client}`)
      .expect(403);
  });
});

describe('the read model', () => {
  it('rebuilt from the log, equals the live one and gives the same answers', async () => {
    const projection = suite.app
      .get(EventingLifecycle)
      .projections.find((p) => p.name === 'schedules')!;
    expect(await projection.verify()).toEqual({ equal: true, differences: expect.any(Object) });
    const dates = Array.from({ length: 50 }, (_, i) => addDays(monday, (i * 7) % 31));
    const before = await Promise.all(dates.map((d) => slotsOn(d, '', suite.auth.service)));
    expect((await projection.rebuild()).events).toBeGreaterThan(5);
    suite.app.get(ScheduleCache).clear();
    const after = await Promise.all(dates.map((d) => slotsOn(d, '', suite.auth.service)));
    expect(after.map((a) => a.slots)).toEqual(before.map((b) => b.slots));
  });

  it('dead-letters a poison event and keeps applying the ones behind it', async () => {
    await suite.bus.publishPoison('sync', 'pro-1');
    const friday = addDays(monday, 4);
    await suite.bus.publish(
      'sync',
      'cal-1:after-poison',
      'calendar.event_upserted',
      externalEvent('pro-1', 'after-poison', at(friday, '15:00'), at(friday, '16:00')),
    );
    await eventually(async () => expect(await startsOn(friday)).not.toContain('15:00'));
    const dlq = await suite.ctx.jsm.streams.info(suite.ctx.naming.deadLetterStream);
    expect(dlq.state.messages).toBeGreaterThan(0);
  });
});

describe('spring forward', () => {
  it('puts a 13:00–18:00 New York schedule at 17:00–22:00Z on the day clocks move', async () => {
    const year = new Date().getUTCFullYear() + 1;
    const firstOfMarch = new Date(Date.UTC(year, 2, 1)).getUTCDay();
    const day = `${year}-03-${String(1 + ((7 - firstOfMarch) % 7) + 7).padStart(2, '0')}`;
    await http()
      .put('/v1/pros/pro-ny')
      .set('authorization', `Bearer ${suite.auth.service}`)
      .send({
        ...proSettings,
        timeZone: 'America/New_York',
        weeklyHours: [{ days: ['SU'], start: '13:00', end: '18:00' }],
      })
      .expect(200);
    const slots = await eventually(async () => {
      const answer = await http()
        .get(
          `/v1/pros/pro-ny/availability?serviceId=wound-care&from=${at(day, '00:00')}&to=${at(addDays(day, 1), '12:00')}`,
        )
        .set('authorization', `Bearer ${suite.auth.client}`)
        .expect(200);
      expect(answer.body.slots.length).toBeGreaterThan(0);
      return answer.body.slots as Array<{ start: string; end: string; localStart: string }>;
    });
    expect(slots[0]).toMatchObject({
      start: `${day}T17:00:00.000Z`,
      localStart: `${day}T13:00:00-04:00`,
    });
    expect(slots.at(-1)!.end).toBe(`${day}T22:00:00.000Z`);
  });
});
