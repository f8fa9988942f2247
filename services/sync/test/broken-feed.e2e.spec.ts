import { createServer, type Server } from 'node:http';
import { eventually, type TestContext } from '@cs/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  busEvents,
  type ConnectorAndSync,
  startConnectorAndSync,
} from './support/connector-and-sync';
import { type ProApi, signInPro } from './support/pro-api';

/** A feed as broken as they come: BOM, blank lines, LF endings, bad events among good ones. */
const FEED = [
  '\uFEFFBEGIN:VCALENDAR',
  'VERSION:2.0',
  'X-WR-CALNAME:Club',
  '',
  'BEGIN:VEVENT',
  'UID:training@club',
  'DTSTART:20261201T180000Z',
  'DURATION:PT1H',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:party@club',
  'SUMMARY:Party without a start',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:match@club',
  'DTSTART;TZID=Club/Pitch:20261202T100000',
  'DURATION:PT2H',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:every-second@club',
  'DTSTART:20261203T090000Z',
  'DURATION:PT1H',
  'RRULE:FREQ=SECONDLY',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\n');

let system: ConnectorAndSync;
let ctx: TestContext;
let feed: Server;
let feedUrl: string;
let pro: ProApi;

beforeAll(async () => {
  feed = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/calendar' }).end(FEED),
  );
  await new Promise<void>((r) => feed.listen(0, '127.0.0.1', r));
  feedUrl = `http://127.0.0.1:${(feed.address() as { port: number }).port}/club.ics`;
  system = await startConnectorAndSync(() => ({ ICS_ALLOW_PRIVATE_ADDRESSES: 'true' }));
  ({ ctx } = system);
  pro = await signInPro(system, 'pro-feed');
});
afterAll(async () => {
  await system.stop();
  feed.close();
});

describe('a feed with broken events', () => {
  it('syncs the good events, and sync status names each bad one by UID with a reason', async () => {
    const connected = await pro.connect({ provider: 'ics', url: feedUrl }).expect(201);
    const { connectionId } = connected.body as { connectionId: string };

    const upserted = await eventually(async () => {
      const events = await busEvents(ctx, 'calendar.event_upserted');
      expect(events).toHaveLength(3);
      return events.map((e) => e.data as { eventUid: string; start: string; rrule: string | null });
    });
    expect(upserted.map((e) => [e.eventUid, e.start, e.rrule]).sort()).toEqual([
      ['every-second@club', '2026-12-03T09:00:00.000Z', null],
      ['match@club', '2026-12-02T10:00:00', null],
      ['training@club', '2026-12-01T18:00:00.000Z', null],
    ]);

    const expected = [
      {
        eventUid: 'every-second@club',
        line: expect.any(Number),
        reason: expect.stringMatching(
          /^the recurrence rule could not be expanded .*first instance/,
        ),
      },
      {
        eventUid: 'match@club',
        line: expect.any(Number),
        reason: 'unknown time zone "Club/Pitch", read as floating time',
      },
      {
        eventUid: 'party@club',
        line: expect.any(Number),
        reason: 'VEVENT has no DTSTART; the event was left out',
      },
    ];
    const status = await pro.syncStatus(connectionId);
    expect(status.calendars[0]).toMatchObject({ problems: expected, problemCount: 3 });

    // So does the Pro's own status, across connections, with the calendar's name.
    const ofPro = await pro.proSyncStatus().expect(200);
    expect(ofPro.body).toMatchObject({
      proId: 'pro-feed',
      state: 'ok',
      calendars: [
        {
          connectionId,
          provider: 'ics',
          name: expect.any(String),
          problems: expected,
          problemCount: 3,
        },
      ],
    });

    // The connector shows the same, asked of sync over the bus.
    const [connection] = await pro.connections();
    expect(connection.calendars[0].sync).toMatchObject({ problems: expected, problemCount: 3 });

    const changed = await busEvents(ctx, 'calendar.event_problems_changed');
    expect(changed.map((e) => e.data)).toEqual([
      expect.objectContaining({ connectionId, problems: expected, problemCount: 3 }),
    ]);

    // An unchanged set of problems is not announced again.
    await pro.syncNow(connectionId, true);
    await eventually(async () => expect(await busEvents(ctx, 'calendar.synced')).toHaveLength(2));
    expect(await busEvents(ctx, 'calendar.event_problems_changed')).toHaveLength(1);
  });
});
