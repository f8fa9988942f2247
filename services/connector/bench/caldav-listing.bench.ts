import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { propfind } from 'tsdav';
// The launcher's own file, not @cs/testing's entry point, which loads Jest's globals.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startCalDavServer } from '../../../libs/testing/src/caldav/caldav-server';
import type { CalendarRef, Credentials } from '../src/domain/provider/calendar-provider';
import { CalDavProvider } from '../src/infrastructure/providers/caldav/caldav-provider';

/**
 * What listing a CalDAV calendar costs (docs/design.md §5): the initial sync of 2,000 events (300 of
 * them recurring) from Radicale, a no-change delta with sync-collection, the etag-only
 * calendar-query REPORT the adapter falls back to, and PROPFIND Depth:1 for comparison; then
 * vdirsyncer syncing the same calendar to a local folder, timed in the same run.
 */
const EVENTS = Number(process.env.BENCH_EVENTS ?? 2_000);
const RECURRING = Math.round(EVENTS * 0.15);
const RUNS = 5;

function ics(n: number): string {
  const day = String(1 + (n % 28)).padStart(2, '0');
  const hour = String(8 + (n % 10)).padStart(2, '0');
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//bench//EN',
    'BEGIN:VEVENT',
    `UID:e${n}@bench`,
  ];
  lines.push(
    'DTSTAMP:20261120T080000Z',
    `DTSTART:202612${day}T${hour}0000Z`,
    'DURATION:PT1H',
    `SUMMARY:Event ${n}`,
  );
  if (n < RECURRING) lines.push('RRULE:FREQ=WEEKLY;COUNT=20');
  lines.push('END:VEVENT');
  if (n < RECURRING)
    lines.push(
      'BEGIN:VEVENT',
      `UID:e${n}@bench`,
      'DTSTAMP:20261120T080000Z',
      `RECURRENCE-ID:202612${day}T${hour}0000Z`,
      `DTSTART:202612${day}T${hour}3000Z`,
      'DURATION:PT1H',
      'END:VEVENT',
    );
  lines.push('END:VCALENDAR', '');
  return lines.join('\r\n');
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await work();
  return { ms: performance.now() - start, result };
}

async function median(work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push((await timed(work)).ms);
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

/**
 * vdirsyncer pairing the Radicale calendar with a local folder; answers a runner of its
 * commands. Discovery runs once here, so the timed runs are syncs only.
 */
function vdirsyncer(dir: string, calendarUrl: string, credentials: Credentials) {
  if (credentials.provider !== 'caldav') throw new Error('a CalDAV calendar is needed');
  mkdirSync(join(dir, 'local'));
  const config = join(dir, 'config');
  writeFileSync(
    config,
    [
      '[general]',
      `status_path = "${join(dir, 'status')}/"`,
      '[pair bench]',
      'a = "bench_local"',
      'b = "bench_remote"',
      'collections = null',
      'conflict_resolution = "b wins"',
      '[storage bench_local]',
      'type = "filesystem"',
      `path = "${join(dir, 'local')}/"`,
      'fileext = ".ics"',
      '[storage bench_remote]',
      'type = "caldav"',
      `url = "${calendarUrl}"`,
      `username = "${credentials.username}"`,
      `password = "${credentials.password}"`,
      '',
    ].join('\n'),
  );
  const run = (command: string) =>
    execFileSync('/usr/bin/vdirsyncer', ['--config', config, command], {
      encoding: 'utf8',
      input: 'y\n'.repeat(10),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  run('discover');
  return run;
}

async function main(): Promise<void> {
  const seed = Array.from({ length: EVENTS }, (_, n) => ({ name: `e${n}.ics`, ics: ics(n) }));
  const seeding = await timed(() => startCalDavServer('radicale', { seed }));
  const server = seeding.result;
  const scratch = mkdtempSync(join(tmpdir(), 'cs-vdirsyncer-'));
  try {
    console.log(
      `seeded ${EVENTS} events (${RECURRING} recurring) into Radicale's storage and started it in ${(seeding.ms / 1000).toFixed(1)} s`,
    );
    const requests: string[] = [];
    const provider = new CalDavProvider({
      allowPrivateAddresses: true,
      timeoutMs: 120_000,
      onRequest: (method) => requests.push(method),
    });
    const etagOnly = new CalDavProvider({
      timeoutMs: 120_000,
      allowPrivateAddresses: true,
      disableSyncCollection: true,
    });
    const credentials: Credentials = {
      provider: 'caldav',
      serverUrl: server.url,
      username: server.username,
      password: server.password,
    };
    const found = (await provider.discover(credentials)).find((c) => c.url === server.calendarUrl)!;
    const calendar: CalendarRef = {
      calendarId: 'bench',
      url: found.url,
      supportsDelta: found.supportsDelta,
    };

    // Radicale hashes every item on its first listing; neither side should pay for that.
    await etagOnly.list(credentials, calendar, null);

    requests.length = 0;
    const initial = await timed(async () => {
      const listing = await provider.list(credentials, calendar, null);
      let bytes = 0;
      for (let i = 0; i < listing.items.length; i += 100) {
        const items = await provider.fetch(
          credentials,
          calendar,
          listing.items.slice(i, i + 100).map((x) => x.href),
        );
        bytes += items.reduce((sum, item) => sum + item.data.length, 0);
      }
      return { listing, bytes };
    });
    const initialRequests = requests.length;
    const cursor = initial.result.listing.cursor;

    requests.length = 0;
    const delta = await median(() => provider.list(credentials, calendar, cursor));
    const deltaRequests = requests.length / RUNS;
    const fullSyncCollection = await median(() => provider.list(credentials, calendar, null));
    const etagReport = await median(() => etagOnly.list(credentials, calendar, null));
    const ctagCursor = (await etagOnly.list(credentials, calendar, null)).cursor;
    const ctagCheck = await median(() => etagOnly.list(credentials, calendar, ctagCursor));
    const depth1 = await timed(() =>
      propfind({
        url: calendar.url,
        props: { 'd:getetag': {} },
        depth: '1',
        headers: { authorization: server.authorization },
      }),
    );

    const rows: Array<[string, string]> = [
      [
        `initial sync (listing + ${Math.ceil(EVENTS / 100)} multigets, ${(initial.result.bytes / 1e6).toFixed(1)} MB)`,
        `${initial.ms.toFixed(0)} ms, ${initialRequests} requests`,
      ],
      [
        'no-change delta, sync-collection (median)',
        `${delta.toFixed(1)} ms, ${deltaRequests} request`,
      ],
      [
        'full listing, sync-collection without token (median)',
        `${fullSyncCollection.toFixed(1)} ms`,
      ],
      ['full listing, etag-only calendar-query REPORT (median)', `${etagReport.toFixed(1)} ms`],
      ['no-change check, getctag PROPFIND Depth:0 (median)', `${ctagCheck.toFixed(1)} ms`],
      ['PROPFIND Depth:1 over the collection (not used)', `${depth1.ms.toFixed(0)} ms`],
    ];
    console.log(`\nCalDAV listing costs on Radicale, ${EVENTS} events:`);
    for (const [what, figure] of rows) console.log(`  ${what.padEnd(72)} ${figure}`);
    console.log(`  ratio etag REPORT / sync-collection delta: ${(etagReport / delta).toFixed(1)}×`);

    const vdir = vdirsyncer(scratch, server.calendarUrl, credentials);
    const theirInitial = await timed(async () => vdir('sync'));
    const copied = readdirSync(join(scratch, 'local')).length;
    const theirDelta = await timed(async () => vdir('sync'));
    console.log(
      `\nvdirsyncer ${vdir('--version').trim().split(' ').at(-1)} (Radicale → filesystem storage), same calendar, same run:`,
    );
    console.log(
      `  ${'initial sync'.padEnd(72)} ${theirInitial.ms.toFixed(0)} ms, ${copied} files written`,
    );
    console.log(`  ${'no-change sync'.padEnd(72)} ${theirDelta.ms.toFixed(0)} ms`);
    console.log(
      `  ratio vdirsyncer / ours: initial ${(theirInitial.ms / initial.ms).toFixed(1)}×, no-change ${(theirDelta.ms / delta).toFixed(1)}×`,
    );
  } finally {
    await server.dispose();
    rmSync(scratch, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
