import ICAL from 'ical.js';
import { describe, expect, it } from '@jest/globals';
import { firstEvent, instancesOf } from '../../../test/support/ical';
import { API_OWNER_ADDRESS, bookingToWrite, providerEventIcs } from './provider-event-ical';

const event = (
  extra: { tentative?: boolean; free?: boolean; declined?: boolean; summary?: string | null } = {},
) =>
  providerEventIcs({
    product: 'Test',
    uid: 'e-1',
    stamp: new Date('2026-11-20T08:00:00Z'),
    start: ICAL.Time.fromJSDate(new Date('2026-12-01T09:00:00Z'), true),
    end: ICAL.Time.fromJSDate(new Date('2026-12-01T10:00:00Z'), true),
    summary: extra.summary ?? null,
    tentative: extra.tentative ?? false,
    free: extra.free ?? false,
    declined: extra.declined ?? false,
  });

describe('provider events as VEVENTs', () => {
  it('blocks the event’s hour unless it is free, and says whether it is tentative', () => {
    expect(firstEvent(event({ summary: 'dentist' }))).toMatchObject({
      uid: 'e-1',
      summary: 'dentist',
      status: 'confirmed',
      transparent: false,
    });
    expect(instancesOf(event())).toEqual([
      expect.objectContaining({
        start: Date.parse('2026-12-01T09:00:00Z'),
        end: Date.parse('2026-12-01T10:00:00Z'),
      }),
    ]);
    expect(firstEvent(event({ tentative: true })).status).toBe('tentative');
    expect(firstEvent(event({ free: true })).transparent).toBe(true);
    expect(event()).toContain('PRODID:-//CareService//Test//EN');
    expect(event()).not.toContain('SUMMARY');
  });

  it('names the owner as an attendee only to say they declined', () => {
    expect(firstEvent(event()).attendees).toEqual([]);
    expect(firstEvent(event({ declined: true })).attendees).toEqual([
      expect.objectContaining({ email: API_OWNER_ADDRESS, partstat: 'declined' }),
    ]);
  });
});

describe('a booking to write', () => {
  const booking = (start: string, length: string) =>
    `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:b@x\r\nDTSTAMP:20261120T080000Z\r\nDTSTART${start}\r\nDURATION:${length}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;

  it('reads its instants on its own wall clock, across a DST change', () => {
    const { zone, start, end } = bookingToWrite(
      booking(';TZID=Europe/Amsterdam:20270327T100000', 'P1DT1H'),
    );
    expect(zone.id).toBe('Europe/Amsterdam');
    expect(new Date(start).toISOString()).toBe('2027-03-27T09:00:00.000Z');
    expect(new Date(end).toISOString()).toBe('2027-03-28T09:00:00.000Z');
  });

  it('takes a floating time as UTC and refuses an all-day one', () => {
    const { zone, start } = bookingToWrite(booking(':20261203T090000', 'PT45M'));
    expect([zone.id, new Date(start).toISOString()]).toEqual(['UTC', '2026-12-03T09:00:00.000Z']);
    expect(() => bookingToWrite(booking(';VALUE=DATE:20261203', 'P1D'))).toThrow(
      /one timed VEVENT/,
    );
  });
});
