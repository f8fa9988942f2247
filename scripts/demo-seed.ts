import { signTestToken } from '../libs/platform/src/auth/sign-test-token';
import {
  CALDAV_PASSWORD,
  calendarEvents,
  clients,
  type DemoPro,
  localDate,
  pros,
  territory,
  TIME_ZONE,
} from './demo-seed/demo-data';
import { bodyOf, type BookingView, CalendarClient, type CalendarConnection } from '@cs/client';
import { waitFor } from './demo-seed/wait-for';
import { DemoRadicale } from './demo-seed/radicale';

/**
 * Seeds the demo through the services' own APIs (run by scripts/up.sh once they are ready) and
 * prints where to look. Safe to run again: what exists is kept, moved demo events are synced.
 */
const base = {
  connector: 'http://127.0.0.1:3101',
  sync: 'http://127.0.0.1:3102',
  availability: 'http://127.0.0.1:3103',
  booking: 'http://127.0.0.1:3104',
  notification: 'http://127.0.0.1:3105',
  assistant: 'http://127.0.0.1:3106',
};
const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the demo with npm start`);
  return value;
};
const mailCatcher = env('MAIL_CATCHER_URL');
const radicale = new DemoRadicale(env('RADICALE_URL'), env('RADICALE_USERS_FILE'));
const CALENDAR = 'work';
const BOOKINGS_PER_PRO = 2;

type Connection = CalendarConnection;
type Booking = BookingView;

async function seedPro(api: CalendarClient, pro: DemoPro, now: number): Promise<Connection> {
  const proId = pro.proId;
  bodyOf(await api.availability.put('/v1/pros/{proId}', { params: { proId }, body: pro.settings }));
  const contact = await api.notification.put('/v1/contacts/{kind}/{id}', {
    params: { kind: 'pro', id: proId },
    body: { name: pro.name, email: pro.email, locale: 'nl', timeZone: TIME_ZONE },
  });
  bodyOf(contact);
  await radicale.ensureCalendar(pro.caldavUser, CALDAV_PASSWORD, CALENDAR, `${pro.name} — work`);
  const calendarUrl = radicale.calendarUrl(pro.caldavUser, CALENDAR);
  for (const { name, event } of calendarEvents(pro, now))
    await radicale.put(pro.caldavUser, CALDAV_PASSWORD, calendarUrl, name, event, now);
  return connect(api, pro);
}

/** One CalDAV connection per Pro to this Radicale; one to an earlier run's port is replaced. */
async function connect(api: CalendarClient, pro: DemoPro): Promise<Connection> {
  const params = { proId: pro.proId };
  const listed = bodyOf(await api.connector.get('/v1/pros/{proId}/connections', { params }));
  const caldav = listed.items.filter((c) => c.provider === 'caldav');
  for (const stale of caldav.filter((c) => c.endpoint !== radicale.url)) {
    const gone = await api.connector.delete('/v1/connections/{connectionId}', {
      params: { connectionId: stale.connectionId },
    });
    if (gone.status !== 404) bodyOf(gone);
  }
  const existing = caldav.find((c) => c.endpoint === radicale.url);
  if (existing) {
    // The demo events moved to the coming days: fetch them now rather than at the next poll.
    const synced = await api.sync.post('/v1/connections/{connectionId}/sync', {
      params: { connectionId: existing.connectionId },
    });
    bodyOf(synced);
    return existing;
  }
  const created = await api.connector.post('/v1/pros/{proId}/connections', {
    params,
    body: {
      provider: 'caldav',
      serverUrl: radicale.url,
      username: pro.caldavUser,
      password: CALDAV_PASSWORD,
    },
  });
  return bodyOf(created);
}

/** Until the calendar's first sync is done, so its busy time is known before anything is booked. */
async function awaitFirstSync(api: CalendarClient, pro: DemoPro): Promise<boolean> {
  const synced = await waitFor(async () => {
    const listed = await api.connector.get('/v1/pros/{proId}/connections', {
      params: { proId: pro.proId },
    });
    const calendars = bodyOf(listed).items.flatMap((c) => c.calendars);
    return calendars.length > 0 && calendars.every((c) => c.sync?.lastSyncedAt) ? true : null;
  }, 30_000);
  return synced === true;
}

/** Two bookings on different days, taken from the Pro's real availability; none when made before. */
async function book(api: CalendarClient, pro: DemoPro, now: number, index: number) {
  const upcoming = await api.booking.get('/v1/bookings', {
    query: { proId: pro.proId, status: 'confirmed', from: new Date(now).toISOString() },
  });
  const demo = bodyOf(upcoming).items.filter((b) => b.client.clientId.startsWith('client-demo-'));
  if (demo.length >= BOOKINGS_PER_PRO) return { made: [], kept: demo };
  const serviceId = (pro.settings.services as Array<{ serviceId: string }>)[0]!.serviceId;
  const slots = await freeSlots(api, pro.proId, serviceId, now);
  const byDay = new Map<string, typeof slots>();
  for (const slot of slots) {
    // Asked with a time zone, every slot has its local twin.
    const day = (slot.localStart ?? slot.start).slice(0, 10);
    byDay.set(day, [...(byDay.get(day) ?? []), slot]);
  }
  const candidates = [...byDay.values()].map((day) => day[Math.floor(day.length / 3)]!);
  const made: Booking[] = [];
  for (const slot of candidates) {
    if (demo.length + made.length >= BOOKINGS_PER_PRO) break;
    const client = clients[(index + made.length) % clients.length]!;
    const response = await api.booking.post('/v1/bookings', {
      idempotencyKey: `demo-${pro.proId}-${slot.start}`,
      body: {
        serviceId,
        proId: pro.proId,
        start: slot.start,
        client: {
          clientId: client.clientId,
          name: client.name,
          email: client.email,
          timeZone: TIME_ZONE,
          locale: client.locale,
        },
        location: client.location,
        flexibility: { allowAutoReschedule: made.length === 0 },
      },
    });
    if (response.ok) made.push(response.body);
    // Taken meanwhile: the next day's slot will do.
    else if (response.status !== 409) bodyOf(response);
  }
  return { made, kept: demo };
}

async function freeSlots(api: CalendarClient, proId: string, serviceId: string, now: number) {
  const from = new Date(now).toISOString();
  const to = new Date(now + 7 * 86_400_000).toISOString();
  const answer = await api.availability.get('/v1/pros/{proId}/availability', {
    params: { proId },
    query: { serviceId, from, to, timeZone: TIME_ZONE },
  });
  return bodyOf(answer).slots;
}

async function mailCount(): Promise<number> {
  const response = await fetch(`${mailCatcher}api/messages`);
  return ((await response.json()) as unknown[]).length;
}

async function main() {
  const now = Date.now();
  const token = await signTestToken(
    process.env.AUTH_JWT_SECRET!,
    { sub: 'demo-operator', roles: ['service'] },
    '12h',
  );
  const api = new CalendarClient({
    baseUrls: base,
    token,
    headers: { 'x-correlation-id': 'demo-seed' },
  });
  const put = await api.availability.put('/v1/territories/{territoryId}', {
    params: { territoryId: territory.id },
    body: territory.settings,
  });
  bodyOf(put);
  for (const client of clients) {
    const contact = await api.notification.put('/v1/contacts/{kind}/{id}', {
      params: { kind: 'client', id: client.clientId },
      body: { name: client.name, email: client.email, locale: client.locale, timeZone: TIME_ZONE },
    });
    bodyOf(contact);
  }
  radicale.ensureUsers(pros.map((p) => ({ username: p.caldavUser, password: CALDAV_PASSWORD })));
  const connections = new Map<string, Connection>();
  for (const pro of pros) connections.set(pro.proId, await seedPro(api, pro, now));
  const unsynced = [];
  for (const pro of pros) if (!(await awaitFirstSync(api, pro))) unsynced.push(pro.proId);

  const mailsBefore = await mailCount();
  const bookings = new Map<string, Booking[]>();
  let made = 0;
  for (const [index, pro] of pros.entries()) {
    const result = await book(api, pro, now, index);
    bookings.set(pro.proId, [...result.kept, ...result.made]);
    made += result.made.length;
  }
  // An invitation to the client and one to the Pro for each new booking.
  const expected = mailsBefore + 2 * made;
  const mails =
    (await waitFor(async () => {
      const count = await mailCount();
      return count >= expected ? count : null;
    }, 30_000)) ?? (await mailCount());
  const counts = await Promise.all(
    pros.map((p) =>
      radicale.count(p.caldavUser, CALDAV_PASSWORD, radicale.calendarUrl(p.caldavUser, CALENDAR)),
    ),
  );
  const [anna] = pros as [DemoPro];
  const annaSlots = await freeSlots(api, anna.proId, 'wound-care', now);
  console.log(
    summary({
      token,
      now,
      connections,
      bookings,
      made,
      mails,
      counts,
      unsynced,
      trySlot: annaSlots.at(-1)?.start ?? null,
    }),
  );
}

function summary(seeded: {
  token: string;
  now: number;
  connections: Map<string, Connection>;
  bookings: Map<string, Booking[]>;
  made: number;
  mails: number;
  counts: number[];
  unsynced: string[];
  /** A free slot for the booking curl line. */
  trySlot: string | null;
}): string {
  const [anna] = pros as [DemoPro];
  const serviceId = 'wound-care';
  const firstBooking = [...seeded.bookings.values()].flat()[0];
  const calendarId = seeded.connections.get(anna.proId)?.calendars[0]?.calendarId;
  const from = localDate(seeded.now + 86_400_000);
  const to = localDate(seeded.now + 4 * 86_400_000);
  const auth = '-H "authorization: Bearer $TOKEN"';
  const tryBooking = JSON.stringify({
    serviceId,
    proId: anna.proId,
    start: seeded.trySlot,
    // A demo client, whose contact is registered: both invitations reach the mail catcher.
    client: { clientId: clients[1]!.clientId, name: clients[1]!.name },
  });
  return [
    '',
    'CareService Calendar is up.',
    '',
    'Services (OpenAPI; also /health/ready, /metrics):',
    ...Object.entries(base).map(([name, url]) => `  ${name.padEnd(13)} ${url}/docs`),
    '',
    `Mail catcher     ${mailCatcher}   (JSON: ${mailCatcher}api/messages; SMTP ${process.env.SMTP_URL}) — ${seeded.mails} messages`,
    `Radicale CalDAV  ${radicale.url}   logins ${pros.map((p) => p.caldavUser).join(', ')}, password "${CALDAV_PASSWORD}"`,
    ...pros.map(
      (p, i) =>
        `  ${radicale.calendarUrl(p.caldavUser, CALENDAR)}  ${seeded.counts[i]} events (${p.caldavUser}/${CALDAV_PASSWORD})`,
    ),
    `MCP tools        ${base.assistant}/mcp   (Streamable HTTP, stateless; bearer token as below)`,
    `Week page        ${base.availability}/ui/#token=${seeded.token}&proId=${anna.proId}&serviceId=${serviceId}`,
    '',
    `Demo data: territory ${territory.id}, ${seeded.made} new bookings`,
    ...pros.map(
      (p) =>
        `  ${p.proId.padEnd(10)} ${p.name.padEnd(14)} ${p.week}; bookings ${
          (seeded.bookings.get(p.proId) ?? []).map((b) => b.bookingId).join(', ') || 'none'
        }`,
    ),
    ...(seeded.unsynced.length > 0
      ? [`  not synced yet: ${seeded.unsynced.join(', ')} (see tmp/logs/sync.log)`]
      : []),
    '',
    'A service token, valid 12 hours (demo secret):',
    `  export TOKEN=${seeded.token}`,
    '',
    'Try:',
    `  curl -s "${base.availability}/v1/pros/${anna.proId}/availability?serviceId=${serviceId}&from=${from}T00:00:00Z&to=${to}T00:00:00Z&timeZone=${TIME_ZONE}" ${auth}`,
    `  curl -s "${base.availability}/v1/pros/${anna.proId}/busy?from=${from}T00:00:00Z&to=${to}T00:00:00Z" ${auth}`,
    ...(seeded.trySlot
      ? [
          `  curl -s -X POST ${base.booking}/v1/bookings ${auth} -H 'content-type: application/json' \\`,
          `       -H "idempotency-key: try-$RANDOM" -d '${tryBooking}'`,
        ]
      : []),
    `  curl -s "${base.booking}/v1/bookings?proId=${anna.proId}" ${auth}`,
    `  curl -s ${mailCatcher}api/messages`,
    ...(firstBooking ? [`  npm run replay -- --booking ${firstBooking.bookingId}`] : []),
    `  npm run replay -- --pro ${anna.proId}`,
    ...(calendarId ? [`  npm run replay -- --calendar ${calendarId}`] : []),
    '',
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error(`demo seed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
