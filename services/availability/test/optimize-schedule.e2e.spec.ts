import { eventually } from '@cs/testing';
import request from 'supertest';
import { describe, expect, it } from '@jest/globals';
import { useAvailabilityApp } from './support/app';
import { addDays, at, proSettings, upcomingMonday } from './support/fixtures';

const tuesday = addDays(upcomingMonday(), 1);
const amersfoort = { lat: 52.1561, lng: 5.3878, address: null };
const nearHome = { lat: 52.09, lng: 5.12, address: null };

const suite = useAvailabilityApp({ pros: { 'pro-1': proSettings, 'pro-2': proSettings } });
const http = () => request(suite.app.getHttpServer());

/** Amersfoort at 09:00 and 13:00, a visit near home at 11:00 in between: two needless trips. */
async function zigzag(proId: string, allowAutoReschedule: boolean | undefined): Promise<void> {
  const visits = [
    { id: 'far-1', hour: '09', location: amersfoort, flexible: undefined },
    { id: 'near', hour: '11', location: nearHome, flexible: allowAutoReschedule },
    { id: 'far-2', hour: '13', location: amersfoort, flexible: undefined },
  ];
  for (const visit of visits) {
    const bookingId = `${proId}-${visit.id}`;
    await suite.bus.publish('booking', bookingId, 'booking.confirmed', {
      bookingId,
      proId,
      serviceId: 'wound-care',
      start: at(tuesday, `${visit.hour}:00`),
      end: at(tuesday, `${Number(visit.hour) + 1}:00`),
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      client: { clientId: 'c-9', timeZone: null, locale: null },
      location: visit.location,
      priority: 'normal',
      override: null,
      ...(visit.flexible === undefined ? {} : { allowAutoReschedule: visit.flexible }),
    });
  }
  await eventually(async () => {
    const busy = await http()
      .get(
        `/v1/pros/${proId}/busy?from=${at(tuesday, '00:00')}&to=${at(addDays(tuesday, 1), '00:00')}`,
      )
      .set('authorization', `Bearer ${suite.auth.service}`)
      .expect(200);
    expect(busy.body.intervals).toHaveLength(3);
  });
}

const optimize = (proId: string, token = suite.auth.service) =>
  http()
    .post(`/v1/pros/${proId}/schedule/optimize`)
    .set('authorization', `Bearer ${token}`)
    .send({ date: tuesday });

describe('POST /v1/pros/{proId}/schedule/optimize', () => {
  it('proposes moving the booking whose client allows it, and moves nothing', async () => {
    await zigzag('pro-1', true);
    const response = await optimize('pro-1').expect(200);
    expect(response.body).toEqual({
      proposals: [
        {
          bookingId: 'pro-1-near',
          from: `${tuesday}T11:00:00.000Z`,
          to: `${tuesday}T15:00:00.000Z`,
          travelSavedMinutes: 85,
          explanation: expect.stringContaining('pro-1-near'),
        },
      ],
      travelBeforeMinutes: 180,
      travelAfterMinutes: 95,
    });
    const busy = await http()
      .get(
        `/v1/pros/pro-1/busy?from=${at(tuesday, '00:00')}&to=${at(addDays(tuesday, 1), '00:00')}`,
      )
      .set('authorization', `Bearer ${suite.auth.pro}`)
      .expect(200);
    expect(busy.body.intervals.map((i: { start: string }) => i.start.slice(11, 16))).toEqual([
      '09:00',
      '11:00',
      '13:00',
    ]);
  });

  it('leaves bookings alone whose client did not say they may move', async () => {
    await zigzag('pro-2', undefined);
    const response = await optimize('pro-2').expect(200);
    expect(response.body).toEqual({
      proposals: [],
      travelBeforeMinutes: 180,
      travelAfterMinutes: 180,
    });
  });

  it('is for services and the Pro itself; a bad date is a 422', async () => {
    await optimize('pro-2', suite.auth.pro).expect(403);
    await optimize('pro-1', suite.auth.client).expect(403);
    await http()
      .post('/v1/pros/pro-1/schedule/optimize')
      .set('authorization', `Bearer ${suite.auth.service}`)
      .send({ date: 'tuesday' })
      .expect(422);
  });
});
