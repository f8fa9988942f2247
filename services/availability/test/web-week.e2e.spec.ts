import type { ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { MS_PER_DAY, MS_PER_MINUTE, ianaZone, localToInstant, parseIsoDate } from '@cs/ical';
import { signTestToken } from '@cs/platform';
import {
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
  testPersonalDataEnv,
  waitForExit,
} from '@cs/testing';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startAvailability, tokens, type Tokens } from './support/app';
import { addDays, externalEvent, proSettings, territory, upcomingMonday } from './support/fixtures';
import { ForeignEvents } from './support/foreign-events';

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

let ctx: TestContext;
let bookingCtx: TestContext;
let availability: INestApplication;
let booking: ChildProcess;
let auth: Tokens;
let bus: ForeignEvents;
let pageOrigin: string;
let bookingUrl: string;
let profile: string;
let browser: BrowserContext;
let page: Page;

const api = async (base: string, path: string, init: RequestInit = {}) => {
  const response = await fetch(`${base}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${auth.service}`,
      'content-type': 'application/json',
      ...init.headers,
    },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const weekUrl = (proId: string, token = auth.service) =>
  `${pageOrigin}/ui/#token=${token}&proId=${proId}&serviceId=wound-care&week=${monday}`;

beforeAll(async () => {
  ctx = await createTestContext();
  // The booking service keeps its own schema but shares the bus prefix with availability.
  bookingCtx = await createTestContext({ streams: [] });
  auth = await tokens();
  bus = new ForeignEvents(ctx);
  const port = await freePort();
  pageOrigin = `http://127.0.0.1:${port}`;

  const bookingPort = await freePort();
  booking = spawnTs('services/booking/src/main.ts', {
    DATABASE_URL,
    NATS_URL,
    DB_SCHEMA: bookingCtx.schema,
    ...testPersonalDataEnv(bookingCtx.schema),
    NATS_PREFIX: ctx.prefix,
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    PORT: String(bookingPort),
    GRPC_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
    CORS_ORIGINS: pageOrigin,
  });
  const bookingOutput = collectOutput(booking);
  bookingUrl = `http://127.0.0.1:${bookingPort}`;
  availability = await startAvailability(ctx, { BOOKING_PUBLIC_URL: bookingUrl });
  await availability.listen(port, '127.0.0.1');
  await eventually(
    async () =>
      expect({
        status: (await fetch(`${bookingUrl}/health/ready`)).status,
        output: bookingOutput(),
      }).toMatchObject({ status: 200 }),
    30_000,
    200,
  );

  const put = async (path: string, body: object) =>
    expect(
      (await api(pageOrigin, path, { method: 'PUT', body: JSON.stringify(body) })).status,
    ).toBe(200);
  await put('/v1/territories/nl-utrecht', territory);
  await put('/v1/pros/pro-web', { ...proSettings, timeZone: ZONE });
  await bus.publish(
    'sync',
    'cal-1:dentist',
    'calendar.event_upserted',
    externalEvent('pro-web', 'dentist', local(tuesday, '10:00'), local(tuesday, '11:00')),
  );
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
});

afterAll(async () => {
  await browser?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  await availability?.close();
  if (booking && booking.exitCode === null && booking.signalCode === null) {
    const exited = waitForExit(booking);
    booking.kill('SIGTERM');
    await exited;
  }
  await bookingCtx?.cleanup();
  await ctx?.cleanup();
});

describe('the week page (/ui/)', () => {
  it('is served without a token, with a strict content policy naming the booking service', async () => {
    const html = await fetch(`${pageOrigin}/ui/`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toContain('text/html');
    const policy = html.headers.get('content-security-policy') ?? '';
    expect(policy).toContain(`connect-src 'self' ${bookingUrl}`);
    expect(policy).toContain("script-src 'self'");
    const config = await (await fetch(`${pageOrigin}/ui/config.json`)).json();
    expect(config).toEqual({ bookingUrl });
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
    expect(await dentist.getAttribute('data-source')).toBe('cal-1');
    expect(await dentist.textContent()).toContain('External calendar · cal-1');
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
    await bus.publish(
      'sync',
      'cal-1:lunch',
      'calendar.event_upserted',
      externalEvent('pro-web', 'lunch', local(wednesday, '12:00'), local(wednesday, '13:00')),
    );
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

  it('shows a client the free slots and says why busy time and hours are missing', async () => {
    await page.goto(weekUrl('pro-web', auth.client));
    await page.locator(`button.slot[data-start="${local(tuesday, '12:00')}"]`).waitFor();
    expect(await page.locator('li[data-kind="external"]').count()).toBe(0);
    expect(await page.locator('li[data-kind="window"]').count()).toBe(0);
    const sources = await page.locator('#sources').textContent();
    expect(sources).toContain('Busy time is shown to the Pro and to staff only');
    expect(sources).toContain('Working hours are shown to the Pro and to staff only');
    expect(await page.locator('#problem').isHidden()).toBe(true);
  });
});
