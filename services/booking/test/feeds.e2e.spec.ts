import { expandEvent, ianaZone, parseCalendar } from '@cs/ical';
import request from 'supertest';
import { describe, expect, it } from '@jest/globals';
import { at, clientOf, proSettings, useBookingApp } from './support/booking-app';

const suite = useBookingApp({ 'p-1': proSettings(), 'p-2': proSettings() });

const http = () => request(suite.app.getHttpServer());
const book = (proId: string, time: string, extra: object = {}) =>
  http()
    .post('/v1/bookings')
    .set('authorization', `Bearer ${suite.auth.service}`)
    .send({
      serviceId: 'wound-care',
      proId,
      start: at(time),
      client: clientOf('c-1'),
      location: { lat: 52.09, lng: 5.12, address: 'Oudegracht 1, Utrecht' },
      ...extra,
    })
    .expect(201);
const pathOf = (url: string) => new URL(url).pathname;

describe("the Pro's iCalendar feed", () => {
  it("serves the Pro's bookings as text/calendar at a secret URL until it is revoked", async () => {
    const confirmed = await book('p-1', '09:00');
    const held = await book('p-1', '11:00', { hold: true });
    const cancelled = await book('p-1', '13:00');
    await http()
      .post(`/v1/bookings/${cancelled.body.bookingId}/cancel`)
      .set('authorization', `Bearer ${suite.auth.service}`)
      .send({ reason: 'ill' })
      .expect(200);
    await book('p-2', '09:00');

    const pro = await suite.auth.pro('p-1');
    await http()
      .post('/v1/pros/p-1/feeds')
      .set('authorization', `Bearer ${await suite.auth.pro('p-2')}`)
      .expect(403);
    const created = await http()
      .post('/v1/pros/p-1/feeds')
      .set('authorization', `Bearer ${pro}`)
      .expect(201);
    const path = pathOf(created.body.url);
    expect(path).toMatch(/^\/v1\/feeds\/[\w-]{40,}\.ics$/);
    const token = path.slice('/v1/feeds/'.length, -'.ics'.length);
    const stored = await suite.ctx.pool.query('SELECT token_hash FROM pro_feeds');
    expect(JSON.stringify(stored.rows)).not.toContain(token);

    const feed = await http().get(path).expect(200);
    expect(feed.headers['content-type']).toMatch(/^text\/calendar/);
    const calendar = parseCalendar(feed.text);
    expect(calendar.errors).toEqual([]);
    const byUid = new Map(calendar.events.map((e) => [e.uid, e]));
    expect([...byUid.keys()].sort()).toEqual(
      [
        `booking-${confirmed.body.bookingId}@bookings.careservice`,
        `booking-${held.body.bookingId}@bookings.careservice`,
      ].sort(),
    );
    const visit = byUid.get(`booking-${confirmed.body.bookingId}@bookings.careservice`)!;
    const [instance] = expandEvent(
      visit,
      [],
      { start: Date.parse(at('00:00')), end: Date.parse(at('23:59')) },
      ianaZone('UTC')!,
    );
    expect(instance).toMatchObject({
      start: Date.parse(confirmed.body.start),
      end: Date.parse(confirmed.body.end),
    });
    expect(visit.start).toMatchObject({ kind: 'zoned' });
    expect(byUid.get(`booking-${held.body.bookingId}@bookings.careservice`)!.status).toBe(
      'tentative',
    );
    expect(feed.text).toContain('Oudegracht 1');

    await http().get('/v1/feeds/not-a-token.ics').expect(404);
    await http()
      .delete(`/v1/pros/p-1/feeds/${created.body.feedId}`)
      .set('authorization', `Bearer ${pro}`)
      .expect(204);
    await http().get(path).expect(404);
  });

  it('is revoked by a DELETE on its own URL', async () => {
    const created = await http()
      .post('/v1/pros/p-2/feeds')
      .set('authorization', `Bearer ${suite.auth.service}`)
      .expect(201);
    const path = pathOf(created.body.url);
    await http().get(path).expect(200);
    await http().delete(path).expect(204);
    await http().get(path).expect(404);
    await http().delete(path).expect(404);
  });
});
