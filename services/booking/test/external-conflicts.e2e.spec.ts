import { calendarEventUpserted } from '@cs/contracts';
import { eventually } from '@cs/testing';
import request from 'supertest';
import { describe, expect, it } from '@jest/globals';
import { at, clientOf, proSettings, publish, useBookingApp } from './support/booking-app';

const suite = useBookingApp({ 'p-1': proSettings() });

const http = () => request(suite.app.getHttpServer());
const book = (time: string, clientId: string, allowAutoReschedule: boolean) =>
  http()
    .post('/v1/bookings')
    .set('authorization', `Bearer ${suite.auth.service}`)
    .send({
      serviceId: 'wound-care',
      proId: 'p-1',
      start: at(time),
      client: clientOf(clientId),
      flexibility: { allowAutoReschedule },
    })
    .expect(201);
const view = async (bookingId: string) =>
  (
    await http()
      .get(`/v1/bookings/${bookingId}`)
      .set('authorization', `Bearer ${suite.auth.service}`)
  ).body;
const scheduleEvents = async () =>
  (
    await http()
      .get('/v1/audit/streams/pro-schedule-p-1')
      .set('authorization', `Bearer ${suite.auth.service}`)
  ).body.events as Array<{ type: string; data: Record<string, unknown>; causationId: string }>;

const external = (uid: string, from: string, to: string, bookingId: string | null = null) => ({
  proId: 'p-1',
  calendarId: 'cal-1',
  eventUid: uid,
  recurrenceId: null,
  start: at(from),
  end: at(to),
  allDay: false,
  status: 'confirmed' as const,
  transparent: false,
  declinedByPro: false,
  rrule: null,
  rdates: [],
  exdates: [],
  timeZone: null,
  location: null,
  bookingId,
});
const upsert = (data: ReturnType<typeof external>) =>
  publish(suite.ctx, calendarEventUpserted, `calendar-cal-1`, data, 'p-1');

describe('conflicts from outside', () => {
  it('moves a booking whose client allowed it, and leaves the other to a person, each caused by the sync event', async () => {
    const flexible = await book('10:00', 'c-1', true);
    const fixed = await book('14:00', 'c-2', false);
    // Our own booking mirrored into the calendar is no conflict.
    await upsert(external('mirror', '10:00', '10:45', flexible.body.bookingId));

    const first = await upsert(external('dentist', '09:30', '10:30'));
    const moved = await eventually(async () => {
      const shown = await view(flexible.body.bookingId);
      expect(shown.start).not.toBe(flexible.body.start);
      return shown;
    });
    // Clear of the dentist by the gap rule (no buffer before; 15 minutes after).
    const start = Date.parse(moved.start);
    const end = Date.parse(moved.end);
    expect(start >= Date.parse(at('10:30')) || end + 15 * 60_000 <= Date.parse(at('09:30'))).toBe(
      true,
    );
    expect(moved.status).toBe('confirmed');
    expect(moved.conflicts).toEqual([
      expect.objectContaining({ eventUid: 'dentist', resolution: 'auto_reschedule' }),
    ]);

    const second = await upsert(external('school', '14:40', '15:30'));
    const flagged = await eventually(async () => {
      const shown = await view(fixed.body.bookingId);
      expect(shown.conflicts).toHaveLength(1);
      return shown;
    });
    expect(flagged.start).toBe(fixed.body.start);
    expect(flagged.conflicts[0]).toMatchObject({ resolution: 'needs_person', eventUid: 'school' });
    expect(flagged.conflicts[0].alternatives.length).toBeGreaterThan(0);

    const events = await scheduleEvents();
    const types = events.map((e) => e.type);
    expect(types).toEqual([
      'booking.confirmed',
      'booking.confirmed',
      'booking.conflict_detected',
      'booking.rescheduled',
      'booking.conflict_detected',
    ]);
    expect(events[3]!.data).toMatchObject({
      automatic: true,
      previous: { start: flexible.body.start },
    });
    expect(events[2]!.causationId).toBe(first);
    expect(events[3]!.causationId).toBe(first);
    expect(events[4]!.causationId).toBe(second);
  });

  it('records a conflict once when the same external event is reported again', async () => {
    await upsert(external('school', '14:40', '15:35'));
    await upsert(external('unrelated', '16:00', '16:15'));
    await eventually(async () => {
      const { rows } = await suite.ctx.pool.query(
        `SELECT stream_version FROM consumer_positions
          WHERE consumer = 'booking-external-conflicts' AND stream_id = 'calendar-cal-1'`,
      );
      expect(rows[0]?.stream_version).toBe(5);
    });
    const types = (await scheduleEvents()).map((e) => e.type);
    expect(types.filter((t) => t === 'booking.conflict_detected')).toHaveLength(2);
  });
});
