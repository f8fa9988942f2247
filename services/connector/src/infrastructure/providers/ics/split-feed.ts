import { createHash } from 'node:crypto';
import { splitCalendar } from '@cs/ical';
import { ProviderError } from '../../../domain/provider/provider-error';

export interface FeedItem {
  href: string;
  etag: string;
  data: string;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * A feed is one file; sync works item by item. Each UID (master and overrides together, with
 * the feed's VTIMEZONEs and X-WR-TIMEZONE) becomes one item whose ETag is the hash of its text,
 * so an unchanged event in a changed feed is recognised as unchanged. Events are passed on as
 * written, broken ones included (one without a UID under `#line-<n>`), for sync to read and
 * report one by one: only a text with nothing of a calendar in it is refused.
 */
export function splitFeed(body: string): FeedItem[] {
  const parts = splitCalendar(body);
  if (!parts.calendar)
    throw new ProviderError('invalid_data', 'feed is not iCalendar (no BEGIN:VCALENDAR)');
  const byUid = new Map<string, string[]>();
  for (const event of parts.events) {
    const href = event.uid ?? `#line-${event.line}`;
    byUid.set(href, [...(byUid.get(href) ?? []), event.text]);
  }
  return [...byUid].map(([href, events]) => {
    const data = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//CareService//feed item//EN',
      ...parts.header,
      ...parts.timezones,
      ...events,
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    return { href, etag: `"${sha256(data).slice(0, 32)}"`, data };
  });
}
