import { type ExternalEvent } from '@cs/scheduling';
import { deciderSpec } from '@cs/testing';
import { describe, expect, it } from '@jest/globals';
import {
  MIN,
  dayBefore as now,
  inputs,
  iso,
  t,
  terms,
} from '../../../test/support/domain-fixtures';
import { scheduleDecider } from '../pro-schedule/decide';
import { type ScheduleEvent, evolve, initialSchedule } from '../pro-schedule/pro-schedule';
import { bookingsInConflict } from './external-conflicts';

const confirmed = (
  bookingId: string,
  time: string,
  allowAutoReschedule = false,
): ScheduleEvent => ({
  type: 'booking.confirmed',
  data: { ...terms(bookingId, time), allowAutoReschedule },
});

const external = (from: string, to: string, extra: Partial<ExternalEvent> = {}): ExternalEvent => ({
  calendarId: 'cal-1',
  eventUid: 'ev-1',
  recurrenceId: null,
  start: new Date(t(from)).toISOString(),
  end: new Date(t(to)).toISOString(),
  allDay: false,
  status: 'confirmed',
  transparent: false,
  declinedByPro: false,
  rrule: null,
  rdates: [],
  exdates: [],
  timeZone: null,
  location: null,
  bookingId: null,
  ...extra,
});

const withEvent = (event: ExternalEvent) => ({ ...inputs, externalEvents: [event] });
const schedule = (...events: ScheduleEvent[]) => events.reduce(evolve, initialSchedule());

describe('bookingsInConflict', () => {
  const state = schedule(confirmed('b-1', '10:00'), confirmed('b-2', '14:00'));
  const ids = (event: ExternalEvent) =>
    bookingsInConflict(state, event, withEvent(event), now).map((b) => b.bookingId);

  it('finds the bookings an external event overlaps or comes within their buffer of', () => {
    expect(ids(external('10:30', '11:00'))).toEqual(['b-1']);
    // 10:45 + 15 minutes after: an event from 10:55 is too close, one from 11:00 is not.
    expect(ids(external('10:55', '11:30'))).toEqual(['b-1']);
    expect(ids(external('11:00', '11:30'))).toEqual([]);
  });

  it('ignores events that mirror a booking, are free or cancelled, and finds every instance of a series', () => {
    expect(ids(external('10:00', '10:45', { bookingId: 'b-1' }))).toEqual([]);
    expect(ids(external('10:00', '10:45', { transparent: true }))).toEqual([]);
    expect(ids(external('10:00', '10:45', { status: 'cancelled' }))).toEqual([]);
    const weekly = external('14:30', '15:00', {
      start: new Date(t('14:30') - 7 * 24 * 60 * MIN).toISOString(),
      end: new Date(t('15:00') - 7 * 24 * 60 * MIN).toISOString(),
      rrule: 'FREQ=WEEKLY',
      timeZone: 'Europe/Amsterdam',
    });
    expect(ids(weekly)).toEqual(['b-2']);
  });

  it('adds travel when the event has a place and the booking too', () => {
    const placed = schedule(confirmed('b-3', '10:00'));
    // The booking's place as the shell opened it from its sealed event.
    const at = (event: ExternalEvent) => ({
      ...withEvent(event),
      places: new Map([['b-3', { lat: 52.09, lng: 5.12 }]]),
    });
    const far = external('11:05', '11:30', { location: { lat: 52.37, lng: 4.89 } });
    expect(bookingsInConflict(placed, far, at(far), now)).toHaveLength(1);
    const near = external('11:05', '11:30');
    expect(bookingsInConflict(placed, near, at(near), now)).toHaveLength(0);
  });

  it('adds no travel to a booking whose place is erased (the shell finds none)', () => {
    const placed = schedule(confirmed('b-3', '10:00'));
    const far = external('11:05', '11:30', { location: { lat: 52.37, lng: 4.89 } });
    expect(bookingsInConflict(placed, far, withEvent(far), now)).toHaveLength(0);
  });
});

describe('resolve_conflict', () => {
  const spec = deciderSpec(scheduleDecider);
  const command = (bookingId: string) => ({
    type: 'resolve_conflict' as const,
    bookingId,
    calendarId: 'cal-1',
    eventUid: 'ev-1',
    inputs: withEvent(external('09:30', '10:30')),
    now,
  });

  it('moves a booking whose client allowed it to the nearest free slot', () => {
    const events = scheduleDecider.decide(
      command('b-1'),
      schedule(confirmed('b-1', '10:00', true)),
    );
    expect(events.map((e) => e.type)).toEqual(['booking.conflict_detected', 'booking.rescheduled']);
    expect(events[0]!.data).toMatchObject({ resolution: 'auto_reschedule' });
    expect(events[1]!.data).toMatchObject({
      automatic: true,
      start: iso(t('10:30')),
      previous: { start: iso(t('10:00')) },
    });
  });

  it('leaves the booking to a person otherwise, with alternatives', () => {
    const [detected, ...rest] = scheduleDecider.decide(
      command('b-1'),
      schedule(confirmed('b-1', '10:00')),
    );
    expect(rest).toEqual([]);
    expect(detected!.data).toMatchObject({ resolution: 'needs_person', eventUid: 'ev-1' });
    expect((detected!.data as { alternatives: unknown[] }).alternatives).toHaveLength(5);
  });

  it('records one conflict once, and nothing for a booking no longer confirmed', () => {
    const once = scheduleDecider.decide(command('b-1'), schedule(confirmed('b-1', '10:00')));
    spec
      .given([confirmed('b-1', '10:00'), ...once])
      .when(command('b-1'))
      .then([]);
    spec
      .given([
        confirmed('b-1', '10:00'),
        { type: 'booking.cancelled', data: { bookingId: 'b-1', proId: 'p-1', reason: '' } },
      ])
      .when(command('b-1'))
      .then([]);
  });
});
