import ICAL from 'ical.js';
import { DEFAULT_PRODID } from '@cs/ical';
import type { ExplainedInterval } from './explain-busy-time';

const utc = (instant: number) => ICAL.Time.fromJSDate(new Date(instant), true);

/** What an interval is, in words a calendar shows; UIDs stay the same across exports. */
function identity(interval: ExplainedInterval): { uid: string; summary: string } {
  switch (interval.kind) {
    case 'external':
      return {
        uid: `${interval.calendarId}/${interval.eventUid}/${new Date(interval.recurrenceId ?? interval.start).toISOString()}`,
        summary: 'Busy',
      };
    case 'booking':
    case 'hold':
      return { uid: `${interval.kind}/${interval.bookingId}`, summary: `Busy (${interval.kind})` };
    case 'absence':
      return { uid: `absence/${interval.absenceId}`, summary: 'Absent' };
    case 'holiday':
      return { uid: `holiday/${interval.date}`, summary: 'Public holiday' };
    default: {
      const unknown: never = interval.kind;
      throw new Error(`unknown busy kind ${String(unknown)}`);
    }
  }
}

/**
 * The Pro's busy time as an iCalendar file (RFC 5545) a calendar app can import: one opaque
 * VEVENT per interval in UTC, titled by kind only, since other people's events stay private.
 */
export function busyCalendar(
  proId: string,
  intervals: readonly ExplainedInterval[],
  now: number,
): string {
  const calendar = new ICAL.Component('vcalendar');
  calendar.addPropertyWithValue('prodid', DEFAULT_PRODID);
  calendar.addPropertyWithValue('version', '2.0');
  calendar.addPropertyWithValue('calscale', 'GREGORIAN');
  calendar.addPropertyWithValue('method', 'PUBLISH');
  calendar.addPropertyWithValue('x-wr-calname', `Busy time of ${proId}`);
  for (const interval of intervals) {
    const { uid, summary } = identity(interval);
    const event = new ICAL.Component('vevent');
    event.addPropertyWithValue('uid', `${uid}@busy.${proId}.careservice`);
    event.addPropertyWithValue('dtstamp', utc(now));
    event.addPropertyWithValue('dtstart', utc(interval.start));
    event.addPropertyWithValue('dtend', utc(interval.end));
    event.addPropertyWithValue('summary', summary);
    event.addPropertyWithValue('categories', interval.kind.toUpperCase());
    event.addPropertyWithValue('transp', 'OPAQUE');
    calendar.addSubcomponent(event);
  }
  return `${calendar.toString()}\r\n`;
}
