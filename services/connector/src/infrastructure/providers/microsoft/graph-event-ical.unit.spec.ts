import type { Event as GraphEvent } from 'microsoft-graph';
import { describe, expect, it } from '@jest/globals';
import { API_OWNER_ADDRESS } from '../provider-event-ical';
import {
  instancesOf,
  firstEvent as parsed,
  ZONED_BOOKING as booking,
  ZONED_BOOKING_UID,
} from '../../../../test/support/ical';
import {
  eventToIcs,
  icsToEvent,
  sameTimes,
  transactionIdFor,
  UID_PROPERTY_ID,
} from './graph-event-ical';

const timed = (extra: GraphEvent = {}): GraphEvent => ({
  id: 'AAMkEvent1',
  start: { dateTime: '2026-12-01T09:00:00.0000000', timeZone: 'UTC' },
  end: { dateTime: '2026-12-01T10:00:00.0000000', timeZone: 'UTC' },
  ...extra,
});

describe('Graph events as VEVENTs', () => {
  it('reads wall-clock times in Windows zones across DST, and in IANA zones', () => {
    const hour = (day: string, timeZone: string) =>
      instancesOf(
        eventToIcs(
          timed({
            start: { dateTime: `${day}T09:00:00.0000000`, timeZone },
            end: { dateTime: `${day}T10:00:00.0000000`, timeZone },
          }),
        ),
      ).map((b) => [new Date(b.start).toISOString(), b.end - b.start]);
    expect(hour('2027-03-22', 'W. Europe Standard Time')).toEqual([
      ['2027-03-22T08:00:00.000Z', 3_600_000],
    ]);
    expect(hour('2027-03-29', 'W. Europe Standard Time')).toEqual([
      ['2027-03-29T07:00:00.000Z', 3_600_000],
    ]);
    expect(hour('2026-12-01', 'Pacific Standard Time')).toEqual([
      ['2026-12-01T17:00:00.000Z', 3_600_000],
    ]);
    expect(hour('2026-12-01', 'Europe/Amsterdam')).toEqual([
      ['2026-12-01T08:00:00.000Z', 3_600_000],
    ]);
  });

  it('keeps all-day events as dates with an exclusive end', () => {
    const event = parsed(
      eventToIcs(
        timed({
          isAllDay: true,
          start: { dateTime: '2026-12-24T00:00:00.0000000', timeZone: 'UTC' },
          end: { dateTime: '2026-12-26T00:00:00.0000000', timeZone: 'UTC' },
        }),
      ),
    );
    expect(event.allDay).toBe(true);
    expect(event.duration.days).toBe(2);
  });

  it('blocks busy, tentative and out of office; free and working elsewhere do not', () => {
    const transparent = (extra: GraphEvent) => parsed(eventToIcs(timed(extra))).transparent;
    expect(transparent({ showAs: 'busy' })).toBe(false);
    expect(transparent({ showAs: 'oof' })).toBe(false);
    expect(transparent({ showAs: 'tentative' })).toBe(false);
    expect(parsed(eventToIcs(timed({ showAs: 'tentative' }))).status).toBe('tentative');
    expect(transparent({ showAs: 'free' })).toBe(true);
    expect(transparent({ showAs: 'workingElsewhere' })).toBe(true);
  });

  it('says the mailbox owner’s declined responseStatus as the owner’s PARTSTAT', () => {
    const owner = (extra: GraphEvent) =>
      parsed(eventToIcs(timed(extra))).attendees.map((a) => `${a.email} ${a.partstat}`);
    expect(owner({ isOrganizer: false, responseStatus: { response: 'declined' } })).toEqual([
      `${API_OWNER_ADDRESS} declined`,
    ]);
    expect(owner({ isOrganizer: false, responseStatus: { response: 'accepted' } })).toEqual([]);
    expect(owner({ responseStatus: { response: 'organizer' } })).toEqual([]);
    expect(
      parsed(eventToIcs(timed({ responseStatus: { response: 'declined' } }))).transparent,
    ).toBe(false);
  });

  it('has nothing to say of cancelled events, series masters or events without times', () => {
    expect(eventToIcs(timed({ isCancelled: true }))).toBeNull();
    expect(eventToIcs(timed({ type: 'seriesMaster' }))).toBeNull();
    expect(eventToIcs({ id: 'x' })).toBeNull();
  });

  it('uses the UID our copy is marked with: the extended property, else our transactionId', () => {
    const uid = 'booking-1@bookings.careservice';
    expect(
      parsed(
        eventToIcs(timed({ singleValueExtendedProperties: [{ id: UID_PROPERTY_ID, value: uid }] })),
      ).uid,
    ).toBe(uid);
    expect(parsed(eventToIcs(timed({ transactionId: transactionIdFor(uid) }))).uid).toBe(uid);
    expect(parsed(eventToIcs(timed({ transactionId: 'someone-elses' }))).uid).toBe('AAMkEvent1');
  });
});

describe('bookings as Graph events', () => {
  it('writes the instants in UTC and marks the copy with its UID', () => {
    expect(icsToEvent(booking, ZONED_BOOKING_UID)).toMatchObject({
      subject: 'CareService: wound-care',
      start: { dateTime: '2026-12-03T09:00:00', timeZone: 'UTC' },
      end: { dateTime: '2026-12-03T09:45:00', timeZone: 'UTC' },
      showAs: 'busy',
      singleValueExtendedProperties: [{ id: UID_PROPERTY_ID, value: ZONED_BOOKING_UID }],
    });
  });

  it('round-trips through Graph’s shape to the same instance and UID', () => {
    const asGraph = icsToEvent(booking, ZONED_BOOKING_UID);
    const back = eventToIcs({ ...asGraph, id: 'AAMkCopy' });
    expect(parsed(back).uid).toBe(ZONED_BOOKING_UID);
    expect(instancesOf(back)).toEqual([
      expect.objectContaining({
        start: Date.parse('2026-12-03T09:00:00Z'),
        end: Date.parse('2026-12-03T09:45:00Z'),
      }),
    ]);
  });

  it('compares times across zones', () => {
    const ours = icsToEvent(booking, 'u');
    const same = {
      start: { dateTime: '2026-12-03T10:00:00.0000000', timeZone: 'W. Europe Standard Time' },
      end: { dateTime: '2026-12-03T10:45:00.0000000', timeZone: 'W. Europe Standard Time' },
    };
    expect(sameTimes(same, ours)).toBe(true);
    expect(sameTimes({ ...same, end: same.start }, ours)).toBe(false);
  });

  it('refuses what is not one timed event', () => {
    expect(() => icsToEvent('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', 'u')).toThrow(
      /one timed VEVENT/,
    );
  });
});
