import { createHash } from 'node:crypto';
import ICAL from 'ical.js';
import { ProviderError } from '../../../domain/provider/provider-error';

export interface FeedItem {
  href: string;
  etag: string;
  data: string;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * A feed is one file; sync works item by item. Each UID (master and overrides together, with
 * the feed's VTIMEZONEs) becomes one item whose ETag is the hash of its text, so an unchanged
 * event in a changed feed is recognised as unchanged.
 */
export function splitFeed(body: string): FeedItem[] {
  if (!/^\s*BEGIN:VCALENDAR/i.test(body))
    throw new ProviderError('invalid_data', 'feed is not iCalendar (no BEGIN:VCALENDAR)');
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(body) as unknown as unknown[]);
  } catch (error) {
    throw new ProviderError(
      'invalid_data',
      `feed is malformed: ${(error as Error).message.slice(0, 200)}`,
    );
  }
  const zones = root.getAllSubcomponents('vtimezone');
  const byUid = new Map<string, ICAL.Component[]>();
  for (const event of root.getAllSubcomponents('vevent')) {
    const uid = String(event.getFirstPropertyValue('uid') ?? '').trim();
    if (!uid) continue;
    byUid.set(uid, [...(byUid.get(uid) ?? []), event]);
  }
  return [...byUid].map(([uid, events]) => {
    const calendar = new ICAL.Component('vcalendar');
    calendar.addPropertyWithValue('version', '2.0');
    calendar.addPropertyWithValue('prodid', '-//CareService//feed item//EN');
    for (const zone of zones) calendar.addSubcomponent(new ICAL.Component(zone.toJSON()));
    for (const event of events) calendar.addSubcomponent(new ICAL.Component(event.toJSON()));
    const data = calendar.toString();
    return { href: uid, etag: `"${sha256(data).slice(0, 32)}"`, data };
  });
}
