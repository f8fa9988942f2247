import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { serializeCalendar, type OutgoingEvent } from '@cs/ical';

/** Plain CalDAV against the demo's Radicale, the way any calendar app would write to it. */
export class DemoRadicale {
  constructor(
    readonly url: string,
    private readonly usersFile: string,
  ) {}

  /** htpasswd with plain passwords; Radicale reads the file on every login. */
  ensureUsers(users: ReadonlyArray<{ username: string; password: string }>): void {
    const lines = existsSync(this.usersFile)
      ? readFileSync(this.usersFile, 'utf8').split('\n').filter(Boolean)
      : [];
    const known = new Map(lines.map((line) => [line.split(':')[0]!, line]));
    for (const { username, password } of users) known.set(username, `${username}:${password}`);
    writeFileSync(this.usersFile, [...known.values()].join('\n') + '\n', { mode: 0o600 });
  }

  calendarUrl(username: string, calendar: string): string {
    return `${this.url}${username}/${calendar}/`;
  }

  /** MKCALENDAR, or nothing when the calendar is there from an earlier run. */
  async ensureCalendar(username: string, password: string, calendar: string, displayName: string) {
    const target = this.calendarUrl(username, calendar);
    const response = await fetch(target, {
      method: 'MKCALENDAR',
      headers: { authorization: basic(username, password), 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="utf-8"?><c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop><d:displayname>${displayName}</d:displayname></d:prop></d:set></c:mkcalendar>`,
    });
    if (![201, 405, 409].includes(response.status))
      throw new Error(`MKCALENDAR ${target}: ${response.status} ${await response.text()}`);
  }

  async put(
    username: string,
    password: string,
    calendarUrl: string,
    name: string,
    event: OutgoingEvent,
    now: number,
  ) {
    const response = await fetch(`${calendarUrl}${name}`, {
      method: 'PUT',
      headers: {
        authorization: basic(username, password),
        'content-type': 'text/calendar; charset=utf-8',
      },
      body: serializeCalendar([event], { now }),
    });
    if (response.status >= 300)
      throw new Error(`PUT ${calendarUrl}${name}: ${response.status} ${await response.text()}`);
  }

  /** How many resources the calendar holds (an etag-only REPORT, never a PROPFIND listing). */
  async count(username: string, password: string, calendarUrl: string): Promise<number> {
    const response = await fetch(calendarUrl, {
      method: 'REPORT',
      headers: {
        authorization: basic(username, password),
        depth: '1',
        'content-type': 'application/xml',
      },
      body: `<?xml version="1.0" encoding="utf-8"?><c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/></d:prop><c:filter><c:comp-filter name="VCALENDAR"/></c:filter></c:calendar-query>`,
    });
    if (response.status !== 207) throw new Error(`REPORT ${calendarUrl}: ${response.status}`);
    return ((await response.text()).match(/<(\w+:)?response>/g) ?? []).length;
  }
}

const basic = (username: string, password: string) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
