import type { ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { MS_PER_DAY, MS_PER_MINUTE, ianaZone, localToInstant, parseIsoDate } from '@cs/ical';
import { randomBytes } from 'node:crypto';
import { signTestToken } from '@cs/platform';
import {
  type CalDavServerHandle,
  DATABASE_URL,
  NATS_URL,
  REPO_ROOT,
  TEST_JWT_SECRET,
  type TestContext,
  collectOutput,
  createTestContext,
  eventually,
  freePort,
  spawnTs,
  startCalDavServer,
  testPersonalDataEnv,
  waitForExit,
} from '@cs/testing';
import { type BrowserContext, type Page, type Request, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startAvailability, tokens, type Tokens } from './support/app';
import { addDays, proSettings, territory, upcomingMonday } from './support/fixtures';

// Debian's Chromium (scripts/services.sh installs it), driven by playwright-core.
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ZONE = 'Europe/Amsterdam';
const amsterdam = ianaZone(ZONE)!;
const monday = upcomingMonday();
const tuesday = addDays(monday, 1);
const wednesday = addDays(monday, 2);

/** An Amsterdam wall-clock time as the API writes instants. */
const local = (date: string, hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  const wall = parseIsoDate(date)! * MS_PER_DAY + (h * 60 + m) * MS_PER_MINUTE;
  return new Date(localToInstant(amsterdam, wall)).toISOString();
};

/** One event in iCalendar, as a Pro's own calendar app would PUT it. */
const vevent = (uid: string, summary: string, start: string, end: string) => {
  const utc = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//CareService tests//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    `DTSTART:${utc(start)}`,
    `DTEND:${utc(end)}`,
    `SUMMARY:${summary}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
};

let ctx: TestContext;
let bookingCtx: TestContext;
let connectorCtx: TestContext;
let syncCtx: TestContext;
let availability: INestApplication;
let children: ChildProcess[] = [];
let auth: Tokens;
let pageOrigin: string;
let bookingUrl: string;
let syncUrl: string;
let connectorUrl: string;
/** The Pro's practice calendar (a connection that works) and home (its password changes). */
let practice: CalDavServerHandle;
let home: CalDavServerHandle;
let practiceCalendar: string;
let calendarIds: Record<'practice' | 'family', string>;
let connectionIds: Record<'practice' | 'home', string>;
let profile: string;
let browser: BrowserContext;
let page: Page;

const api = async (base: string, path: string, init: RequestInit & { token?: string } = {}) => {
  const response = await fetch(`${base}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${init.token ?? auth.service}`,
      'content-type': 'application/json',
      ...init.headers,
    },
  });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: (await response.json().catch(() => null)) as Record<string, unknown>,
  };
};

interface SyncedCalendar {
  calendarId: string;
  name: string;
  connectionId: string;
  state: string;
  lastSyncedAt: string | null;
}
const syncStatus = async () =>
  (await api(syncUrl, '/v1/pros/pro-web/sync-status')).body as unknown as {
    calendars: SyncedCalendar[];
  };

/** A service as its own process, ready once `/health/ready` answers. */
async function spawnService(name: string, env: Record<string, string>): Promise<string> {
  const port = await freePort();
  const child = spawnTs(`services/${name}/src/main.ts`, {
    DATABASE_URL,
    NATS_URL,
    NATS_PREFIX: ctx.prefix,
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'warn',
    PORT: String(port),
    ...env,
  });
  children.push(child);
  const output = collectOutput(child);
  const url = `http://127.0.0.1:${port}`;
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`${name} exited: ${output()}`);
      const ready = await fetch(`${url}/health/ready`).catch(() => null);
      if (ready?.status !== 200) throw new Error(`${name} not ready yet: ${output()}`);
    },
    // Three services start side by side on a two-core machine.
    60_000,
    200,
  );
  return url;
}

async function connect(server: CalDavServerHandle): Promise<string> {
  const created = await api(connectorUrl, '/v1/pros/pro-web/connections', {
    method: 'POST',
    body: JSON.stringify({
      provider: 'caldav',
      serverUrl: server.url,
      username: server.username,
      password: server.password,
    }),
  });
  expect(created.status).toBe(201);
  return created.body.connectionId as string;
}

const weekUrl = (proId: string, token = auth.service) =>
  `${pageOrigin}/ui/#token=${token}&proId=${proId}&serviceId=wound-care&week=${monday}`;

beforeAll(async () => {
  ctx = await createTestContext();
  // Each service keeps its own schema but shares the bus prefix with availability.
  bookingCtx = await createTestContext({ streams: [] });
  connectorCtx = await createTestContext({ streams: [] });
  syncCtx = await createTestContext({ streams: [] });
  auth = await tokens();
  const port = await freePort();
  pageOrigin = `http://127.0.0.1:${port}`;

  [practice, home] = await Promise.all([
    startCalDavServer('radicale', { credentials: { username: 'anna', password: 'practice-pw' } }),
    startCalDavServer('radicale', { credentials: { username: 'anna', password: 'home-pw' } }),
  ]);
  practiceCalendar = await practice.createCalendar('practice', 'Practice');
  await home.createCalendar('family', 'Family');
  await practice.put(
    `${practiceCalendar}dentist.ics`,
    vevent('dentist', 'Dentist', local(tuesday, '10:00'), local(tuesday, '11:00')),
  );

  [bookingUrl, connectorUrl, syncUrl] = await Promise.all([
    spawnService('booking', {
      DB_SCHEMA: bookingCtx.schema,
      ...testPersonalDataEnv(bookingCtx.schema),
      GRPC_PORT: String(await freePort()),
      CORS_ORIGINS: pageOrigin,
    }),
    spawnService('connector', {
      DB_SCHEMA: connectorCtx.schema,
      CREDENTIALS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      // The test's CalDAV servers live on loopback.
      CALDAV_ALLOW_PRIVATE_ADDRESSES: 'true',
    }),
    spawnService('sync', {
      DB_SCHEMA: syncCtx.schema,
      CORS_ORIGINS: pageOrigin,
      SYNC_TICK_MS: '200',
      SYNC_MAX_BACKOFF_MS: '1000',
      SYNC_REQUEST_TIMEOUT_MS: '5000',
    }),
  ]);
  availability = await startAvailability(ctx, {
    BOOKING_PUBLIC_URL: bookingUrl,
    SYNC_PUBLIC_URL: syncUrl,
  });
  await availability.listen(port, '127.0.0.1');

  const put = async (path: string, body: object) =>
    expect(
      (await api(pageOrigin, path, { method: 'PUT', body: JSON.stringify(body) })).status,
    ).toBe(200);
  await put('/v1/territories/nl-utrecht', territory);
  await put('/v1/pros/pro-web', { ...proSettings, timeZone: ZONE });
  connectionIds = { practice: await connect(practice), home: await connect(home) };
  const synced = await eventually(async () => {
    const { calendars } = await syncStatus();
    const named = (name: string, connectionId: string) =>
      calendars.find((c) => c.name === name && c.connectionId === connectionId);
    // Every calendar read once, so availability knows each of them.
    expect(calendars.map((c) => [c.state, c.lastSyncedAt !== null])).toEqual(
      calendars.map(() => ['ok', true]),
    );
    expect(named('Practice', connectionIds.practice)).toBeDefined();
    expect(named('Family', connectionIds.home)).toBeDefined();
    return {
      practice: named('Practice', connectionIds.practice)!.calendarId,
      family: named('Family', connectionIds.home)!.calendarId,
    };
  }, 30_000);
  calendarIds = synced;

  // The home calendars' password changes elsewhere: sync is refused until the Pro signs in again.
  home.changePassword('changed-elsewhere');
  expect(
    (await api(syncUrl, `/v1/connections/${connectionIds.home}/sync`, { method: 'POST' })).status,
  ).toBe(202);
  await eventually(async () => {
    const { calendars } = await syncStatus();
    expect(calendars.find((c) => c.calendarId === calendarIds.family)?.state).toBe(
      'reauth_required',
    );
  }, 30_000);
  // Availability learns of both: the dentist is busy time, the refused calendar is stale.
  await eventually(async () => {
    const answer = await api(
      pageOrigin,
      `/v1/pros/pro-web/availability?serviceId=wound-care&from=${local(tuesday, '00:00')}&to=${local(wednesday, '00:00')}`,
    );
    const sources = answer.body.sources as { calendarId: string; stale: boolean }[];
    expect(sources.find((s) => s.calendarId === calendarIds.family)?.stale).toBe(true);
    expect(answer.body.slots).not.toContainEqual(
      expect.objectContaining({ start: local(tuesday, '10:00') }),
    );
  }, 30_000);
  // Booking learns the Pro from the bus; the page may book only once it has.
  await eventually(async () => {
    const { rows } = await bookingCtx.pool.query(
      "SELECT 1 FROM proj_schedule_inputs_pros WHERE pro_id = 'pro-web'",
    );
    expect(rows).toHaveLength(1);
  });

  profile = await mkdtemp(join(tmpdir(), 'web-week-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    // The browser lives elsewhere than the Pro: every time shown must still be Amsterdam's.
    timezoneId: 'America/New_York',
    locale: 'en-GB',
    viewport: { width: 1400, height: 1000 },
  });
  page = browser.pages()[0] ?? (await browser.newPage());
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  await availability?.close();
  await Promise.all(
    children
      .filter((child) => child.exitCode === null && child.signalCode === null)
      .map((child) => {
        const exited = waitForExit(child);
        child.kill('SIGTERM');
        return exited;
      }),
  );
  children = [];
  await Promise.all([practice?.dispose(), home?.dispose()]);
  for (const c of [bookingCtx, connectorCtx, syncCtx]) await c?.cleanup();
  await ctx?.cleanup();
});

describe('the week page (/ui/)', () => {
  it('is served without a token, with a strict content policy naming the booking and sync services', async () => {
    const html = await fetch(`${pageOrigin}/ui/`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toContain('text/html');
    const policy = html.headers.get('content-security-policy') ?? '';
    expect(policy).toContain(`connect-src 'self' ${bookingUrl} ${syncUrl}`);
    expect(policy).toContain("script-src 'self'");
    const config = await (await fetch(`${pageOrigin}/ui/config.json`)).json();
    expect(config).toEqual({ bookingUrl, syncUrl });
    expect((await fetch(`${pageOrigin}/ui/week.js`)).headers.get('content-type')).toContain(
      'text/javascript',
    );
  });

  it('shows working hours, busy time by source and free slots in the Pro’s time zone', async () => {
    await page.goto(weekUrl('pro-web'));
    // The token leaves the address bar once read.
    await eventually(async () => expect(page.url()).not.toContain('token='));

    const windows = page.locator('li[data-kind="window"]');
    await windows.first().waitFor();
    expect(await windows.count()).toBe(5);
    expect(await windows.first().getAttribute('data-start')).toBe(local(monday, '09:00'));
    expect(await windows.first().textContent()).toContain('Working hours 09:00–17:00');

    const dentist = page.locator(
      `li[data-kind="external"][data-start="${local(tuesday, '10:00')}"]`,
    );
    await dentist.waitFor();
    // The calendar by its name; its id means nothing to a person.
    expect(await dentist.getAttribute('data-source')).toBe(calendarIds.practice);
    expect(await dentist.textContent()).toContain('External calendar · Practice');
    expect(await dentist.textContent()).not.toContain(calendarIds.practice);
    expect(await dentist.textContent()).toContain('10:00–11:00');

    const slot = page.locator(`button.slot[data-start="${local(tuesday, '14:00')}"]`);
    await slot.waitFor();
    expect(await slot.textContent()).toBe('14:00');
    expect(await slot.getAttribute('aria-label')).toMatch(/^Book Tuesday \d+ \w+, 14:00–15:00$/);
    expect(await page.locator(`button.slot[data-start="${local(tuesday, '10:00')}"]`).count()).toBe(
      0,
    );
    expect(await page.locator('#week-title').textContent()).toContain(`times in ${ZONE}`);
    expect(await page.locator('#live').textContent()).toMatch(/^Live/);
  });

  it('names the Pro’s calendars and shows a calendar that needs sign-in as a problem', async () => {
    const sources = page.locator('#sources');
    await eventually(async () => expect(await sources.textContent()).toContain('Practice: synced'));
    const text = (await sources.textContent()) ?? '';
    expect(text).toContain('Family: ');
    for (const id of Object.values(calendarIds)) expect(text).not.toContain(id);

    const problems = page.locator('#sync-problems');
    await problems.waitFor();
    const reauth = problems.locator(
      `li[data-problem="reauth_required"][data-calendar-id="${calendarIds.family}"]`,
    );
    expect(await reauth.textContent()).toMatch(/^Family: needs sign-in again/);
    expect(
      await problems
        .locator(`li[data-problem="stale"][data-calendar-id="${calendarIds.family}"]`)
        .textContent(),
    ).toContain('its busy time may be missing');
    // The calendar that syncs is no problem.
    expect(await problems.locator(`li[data-calendar-id="${calendarIds.practice}"]`).count()).toBe(
      0,
    );
  });

  it('books a free slot picked on the page; it turns into a booking', async () => {
    await page.locator(`button.slot[data-start="${local(tuesday, '14:00')}"]`).click();
    const dialog = page.locator('#book-dialog');
    await dialog.waitFor();
    expect(await page.locator('#book-when').textContent()).toContain(
      '14:00–15:00 (Europe/Amsterdam)',
    );
    await page.locator('#client-id').fill('c-web');
    await page.locator('#client-name').fill('Anna de Vries');
    // The next reads wait for this booking to show: they carry its answer's Consistency-Token.
    const answered = page.waitForResponse(
      (r) => r.url() === `${bookingUrl}/v1/bookings` && r.request().method() === 'POST',
    );
    const reread = page.waitForRequest(
      (r) => r.url().includes('/availability?') && 'if-consistent-with' in r.headers(),
    );
    await page.locator('#book-confirm').click();
    const token = (await answered).headers()['consistency-token'];
    expect(token).toBeTruthy();
    expect((await reread).headers()['if-consistent-with']).toBe(token);

    await dialog.waitFor({ state: 'hidden' });
    expect(await page.locator('#notice').textContent()).toMatch(/^Booked: Tuesday .*14:00–15:00/);
    const booked = page.locator(`li[data-kind="booking"][data-start="${local(tuesday, '14:00')}"]`);
    await booked.waitFor();
    expect(await booked.getAttribute('data-status')).toBe('confirmed');
    expect(await booked.textContent()).toContain('Booking · Anna de Vries');
    await page
      .locator(`button.slot[data-start="${local(tuesday, '14:00')}"]`)
      .waitFor({ state: 'detached' });

    const bookings = await api(bookingUrl, `/v1/bookings?proId=pro-web`);
    expect(bookings.body.items).toEqual([
      expect.objectContaining({
        start: local(tuesday, '14:00'),
        status: 'confirmed',
        client: expect.objectContaining({ clientId: 'c-web' }),
      }),
    ]);
  });

  it('shows a slot taken meanwhile as the 409 problem, with alternatives that book', async () => {
    await page.locator(`button.slot[data-start="${local(tuesday, '16:00')}"]`).click();
    await page.locator('#book-dialog').waitFor();
    // Someone else takes the slot while the dialog is open.
    const taken = await api(bookingUrl, '/v1/bookings', {
      method: 'POST',
      body: JSON.stringify({
        serviceId: 'wound-care',
        proId: 'pro-web',
        start: local(tuesday, '16:00'),
        client: { clientId: 'c-other' },
      }),
    });
    expect(taken.status).toBe(201);
    await page.locator('#book-confirm').click();

    const problem = page.locator('#book-problem');
    await problem.waitFor();
    expect(await problem.getAttribute('role')).toBe('alert');
    expect(await problem.locator('strong').textContent()).toBe('Slot unavailable');
    const alternative = page.locator('#alternatives button').first();
    await alternative.waitFor();
    expect(await page.locator('#book-confirm').isDisabled()).toBe(true);
    const start = await alternative.getAttribute('data-start');
    expect(start).not.toBe(local(tuesday, '16:00'));
    await alternative.click();
    await page.locator('#book-dialog').waitFor({ state: 'hidden' });
    await page
      .locator(`li[data-kind="booking"][data-start="${new Date(start!).toISOString()}"]`)
      .waitFor();
  });

  it('shows a change from another source live, without reloading', async () => {
    await page.evaluate(() => Object.assign(globalThis, { sameDocument: true }));
    // The Pro adds lunch in their own calendar app; sync reads it on the next run.
    await practice.put(
      `${practiceCalendar}lunch.ics`,
      vevent('lunch', 'Lunch', local(wednesday, '12:00'), local(wednesday, '13:00')),
    );
    expect(
      (await api(syncUrl, `/v1/connections/${connectionIds.practice}/sync`, { method: 'POST' }))
        .status,
    ).toBe(202);
    await page
      .locator(`li[data-kind="external"][data-start="${local(wednesday, '12:00')}"]`)
      .waitFor();
    await page
      .locator(`button.slot[data-start="${local(wednesday, '12:00')}"]`)
      .waitFor({ state: 'detached' });
    expect(await page.evaluate(() => (globalThis as { sameDocument?: boolean }).sameDocument)).toBe(
      true,
    );

    await mkdir(join(REPO_ROOT, 'tmp'), { recursive: true });
    await page.screenshot({ path: join(REPO_ROOT, 'tmp/web-week.png'), fullPage: true });
  });

  it('tells the user what went wrong, in the API’s words', async () => {
    await page.goto(weekUrl('nobody'));
    const problem = page.locator('#problem');
    await problem.waitFor();
    expect(await problem.textContent()).toContain('no Pro nobody');

    const stranger = await signTestToken(TEST_JWT_SECRET, {
      sub: 'u-2',
      roles: ['pro'],
      proId: 'someone-else',
    });
    await page.goto(weekUrl('pro-web', stranger));
    await eventually(async () =>
      expect(await problem.textContent()).toContain('may not act on Pro pro-web'),
    );
  });

  it('shows a client the free slots only: no hours, busy time, calendars or other people’s bookings', async () => {
    const asked: string[] = [];
    const listen = (r: Request) => asked.push(r.url());
    page.on('request', listen);
    await page.goto(weekUrl('pro-web', auth.client));
    await page.locator(`button.slot[data-start="${local(wednesday, '15:00')}"]`).waitFor();
    page.off('request', listen);
    for (const kind of ['external', 'window', 'absence', 'holiday'])
      expect(await page.locator(`li[data-kind="${kind}"]`).count()).toBe(0);
    // Anna de Vries's booking is another client's: not even its time shows as hers.
    expect(await page.locator('li[data-kind="booking"]').count()).toBe(0);
    const body = (await page.locator('body').textContent()) ?? '';
    for (const secret of ['Practice', 'Family', 'Anna de Vries', 'Dentist', 'Lunch'])
      expect(body).not.toContain(secret);
    for (const id of Object.values(calendarIds)) expect(body).not.toContain(id);
    expect(await page.locator('#sources').textContent()).toContain('You see the free slots only');
    expect(await page.locator('#sync-problems').isHidden()).toBe(true);
    expect(await page.locator('#problem').isHidden()).toBe(true);
    // Nothing the client may not see is even asked for.
    expect(asked.filter((url) => url.startsWith(syncUrl))).toEqual([]);
    expect(asked.filter((url) => /\/(busy|working-windows)\?/.test(url))).toEqual([]);
  });

  it('lets a client pick a free slot and book it for itself, and only for itself', async () => {
    await page.locator(`button.slot[data-start="${local(wednesday, '15:00')}"]`).click();
    await page.locator('#book-dialog').waitFor();
    const clientId = page.locator('#client-id');
    expect(await clientId.inputValue()).toBe('c-9');
    expect(await clientId.getAttribute('readonly')).not.toBeNull();
    await page.locator('#client-name').fill('Carla Jansen');
    await page.locator('#book-confirm').click();
    await page.locator('#book-dialog').waitFor({ state: 'hidden' });
    expect(await page.locator('#notice').textContent()).toMatch(/^Booked: Wednesday .*15:00–16:00/);
    // Its own booking shows, with its own name.
    const own = page.locator(`li[data-kind="booking"][data-start="${local(wednesday, '15:00')}"]`);
    await own.waitFor();
    expect(await own.textContent()).toContain('Booking · Carla Jansen');

    const mine = await api(bookingUrl, `/v1/bookings?proId=pro-web&clientId=c-9`);
    expect(mine.body.items).toEqual([
      expect.objectContaining({
        start: local(wednesday, '15:00'),
        status: 'confirmed',
        client: expect.objectContaining({ clientId: 'c-9' }),
      }),
    ]);
    // The same token cannot book for someone else, nor read the Pro's calendars.
    const forAnother = await api(bookingUrl, '/v1/bookings', {
      method: 'POST',
      token: auth.client,
      body: JSON.stringify({
        serviceId: 'wound-care',
        proId: 'pro-web',
        start: local(wednesday, '11:00'),
        client: { clientId: 'c-web' },
      }),
    });
    expect(forAnother.status).toBe(403);
    expect(forAnother.type).toContain('application/problem+json');
    const calendars = await api(syncUrl, '/v1/pros/pro-web/sync-status', { token: auth.client });
    expect(calendars.status).toBe(403);
    expect(calendars.type).toContain('application/problem+json');

    await page.screenshot({ path: join(REPO_ROOT, 'tmp/web-week-client.png'), fullPage: true });
  });
});
