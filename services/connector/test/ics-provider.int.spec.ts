import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CalendarRef, Credentials } from '../src/domain/provider/calendar-provider';
import { IcsProvider } from '../src/infrastructure/providers/ics/ics-provider';
import type { FeedItem } from '../src/infrastructure/providers/ics/split-feed';
import { failure } from './support/provider-failure';

const vevent = (uid: string, start: string) =>
  `BEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20261120T080000Z\r\nDTSTART:${start}\r\nDURATION:PT1H\r\nEND:VEVENT\r\n`;
const calendar = (...events: string[]) =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n${events.join('')}END:VCALENDAR\r\n`;

class MemoryItems {
  items = new Map<string, FeedItem[]>();
  async replace(calendarId: string, items: FeedItem[]) {
    this.items.set(calendarId, items);
  }
  async load(calendarId: string, hrefs: string[]) {
    return (this.items.get(calendarId) ?? []).filter((i) => hrefs.includes(i.href));
  }
}

let server: Server;
let base: string;
let body = calendar(vevent('a@x', '20261201T090000Z'), vevent('b@x', '20261201T110000Z'));
const seen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.headers);
    if (req.url === '/redirect') return res.writeHead(302, { location: '/feed.ics' }).end();
    if (req.url === '/huge') {
      res.writeHead(200, { 'content-type': 'text/calendar' });
      const chunk = 'X'.repeat(1024 * 1024);
      for (let i = 0; i < 50; i++) res.write(chunk);
      return res.end();
    }
    if (req.url === '/broken') return res.writeHead(200).end('<html>not a calendar</html>');
    const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
    if (req.headers['if-none-match'] === etag) return res.writeHead(304).end();
    res.writeHead(200, { etag, 'content-type': 'text/calendar' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => {
  server.close();
});

const options = {
  maxBytes: 10 * 1024 * 1024,
  timeoutMs: 5_000,
  maxRedirects: 3,
  allowPrivateAddresses: true,
};
const ref: CalendarRef = { calendarId: 'feed-1', url: '', supportsDelta: false };
const creds = (path: string): Credentials => ({ provider: 'ics', url: `${base}${path}` });
describe('iCalendar feeds', () => {
  it('lists each UID as an item, then costs one conditional request while the feed is unchanged', async () => {
    const store = new MemoryItems();
    const provider = new IcsProvider(options, store);
    const first = await provider.list(creds('/feed.ics'), ref, null);
    expect(first.kind).toBe('full');
    expect(first.items.map((i) => i.href)).toEqual(['a@x', 'b@x']);
    const [item] = await provider.fetch(creds('/feed.ics'), ref, ['a@x']);
    expect(item?.data).toContain('UID:a@x');

    seen.length = 0;
    const second = await provider.list(creds('/feed.ics'), ref, first.cursor);
    expect(seen).toHaveLength(1);
    expect(seen[0]!['if-none-match']).toBeTruthy();
    expect(second).toMatchObject({ kind: 'delta', items: [], cursor: first.cursor });

    body = calendar(vevent('a@x', '20261201T090000Z'), vevent('c@x', '20261202T090000Z'));
    const third = await provider.list(creds('/feed.ics'), ref, second.cursor);
    expect(third.kind).toBe('full');
    const etags = new Map(third.items.map((i) => [i.href, i.etag]));
    expect(etags.get('a@x')).toBe(first.items[0]!.etag);
    expect([...etags.keys()]).toEqual(['a@x', 'c@x']);
  });

  it('follows a redirect and refuses one to a private address when private addresses are not allowed', async () => {
    const provider = new IcsProvider(options, new MemoryItems());
    expect((await provider.list(creds('/redirect'), ref, null)).items.length).toBeGreaterThan(0);
    const strict = new IcsProvider({ ...options, allowPrivateAddresses: false }, new MemoryItems());
    const error = await failure(strict.list(creds('/redirect'), ref, null));
    expect(error.message).toMatch(/not public/);
    const byName = await failure(
      strict.list({ provider: 'ics', url: `http://localhost:1/x.ics` }, ref, null),
    );
    expect(byName.message).toMatch(/not public/);
  });

  it('rejects a 50 MB or malformed feed with a clear error and keeps the last good items', async () => {
    const store = new MemoryItems();
    const provider = new IcsProvider(options, store);
    await provider.list(creds('/feed.ics'), ref, null);
    const before = store.items.get('feed-1');
    const huge = await failure(provider.list(creds('/huge'), ref, null));
    expect(huge).toMatchObject({ kind: 'invalid_data', message: 'feed is larger than 10 MB' });
    const broken = await failure(provider.list(creds('/broken'), ref, null));
    expect(broken).toMatchObject({ kind: 'invalid_data' });
    expect(broken.message).toMatch(/not iCalendar/);
    expect(store.items.get('feed-1')).toBe(before);
  });

  it('passes broken events on, each under its UID (or its line), and keeps the good ones whole', async () => {
    const store = new MemoryItems();
    const provider = new IcsProvider(options, store);
    body = [
      '\uFEFFBEGIN:VCALENDAR',
      'X-WR-TIMEZONE:Europe/Amsterdam',
      '',
      vevent('good@x', '20261201T090000'),
      'BEGIN:VEVENT\nUID:no-start@x\nSUMMARY:Party\nEND:VEVENT',
      'BEGIN:VEVENT\nDTSTART:20261201T090000Z\nEND:VEVENT',
      'END:VCALENDAR',
    ].join('\n');
    const listed = await provider.list(creds('/feed.ics'), ref, null);
    expect(listed.items.map((i) => i.href)).toEqual(['good@x', 'no-start@x', '#line-15']);
    const [good] = await provider.fetch(creds('/feed.ics'), ref, ['good@x']);
    expect(good?.data).toContain('X-WR-TIMEZONE:Europe/Amsterdam');
    expect(good?.data).toContain('DTSTART:20261201T090000');
  });

  it('is read-only', async () => {
    const provider = new IcsProvider(options, new MemoryItems());
    expect((await failure(provider.write())).kind).toBe('unsupported');
  });
});
