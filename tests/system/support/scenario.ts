import { instantOf, parseCalendar, UTC } from '@cs/ical';
import { bodyOf } from '@cs/client';
import { type CalDavServerHandle, eventually, type ReceivedMail, type System } from '@cs/testing';
import { systemClient } from './client';

const DAY = 86_400_000;
export const TERRITORY = 'nl-utrecht';
export const SERVICE = 'wound-care';

/** A weekday (UTC date) at least `daysAhead` days from now: notice and horizon never interfere. */
export function upcomingWeekday(daysAhead: number): string {
  let day = Date.now() + daysAhead * DAY;
  while ([0, 6].includes(new Date(day).getUTCDay())) day += DAY;
  return new Date(day).toISOString().slice(0, 10);
}

export const at = (date: string, time: string): string => `${date}T${time}:00.000Z`;

export interface People {
  /** role `service`: the platform itself (territories, contacts, audits). */
  operator: string;
  pro(proId: string): Promise<string>;
  client(clientId: string): Promise<string>;
}

export async function people(system: System): Promise<People> {
  return {
    operator: await system.token({ sub: 'platform', roles: ['service'] }),
    pro: (proId) => system.token({ sub: `user-${proId}`, roles: ['pro'], proId }),
    client: (clientId) => system.token({ sub: `user-${clientId}`, roles: ['client'], clientId }),
  };
}

export const proEmail = (proId: string) => `${proId}@pros.example`;
export const clientEmail = (clientId: string) => `${clientId}@clients.example`;

export async function setUpTerritory(system: System, who: People): Promise<void> {
  const answer = await systemClient(system, { token: who.operator }).availability.put(
    '/v1/territories/{territoryId}',
    {
      params: { territoryId: TERRITORY },
      body: {
        timeZone: 'Europe/Amsterdam',
        holidayRegion: 'NL',
        defaults: { minNoticeMinutes: 60 },
      },
    },
  );
  bodyOf(answer, 200);
}

/**
 * The Pro's settings (weekdays 08:00–18:00 UTC, 45-minute visits with 15 minutes after) through
 * the availability API, and the Pro's contact for mail. Waits until the territory is known.
 */
export async function setUpPro(system: System, who: People, proId: string): Promise<void> {
  const pro = systemClient(system, { token: await who.pro(proId) });
  await eventually(
    async () =>
      bodyOf(
        await pro.availability.put('/v1/pros/{proId}', {
          params: { proId },
          body: {
            timeZone: 'UTC',
            territoryId: TERRITORY,
            services: [
              {
                serviceId: SERVICE,
                durationMinutes: 45,
                bufferBeforeMinutes: 0,
                bufferAfterMinutes: 15,
              },
            ],
            weeklyHours: [{ days: ['MO', 'TU', 'WE', 'TH', 'FR'], start: '08:00', end: '18:00' }],
            minNoticeMinutes: 60,
            horizonDays: 60,
            slotStepMinutes: 15,
            worksOnHolidays: true,
          },
        }),
        200,
      ),
    30_000,
    250,
  );
  const contact = await systemClient(system, { token: who.operator }).notification.put(
    '/v1/contacts/{kind}/{id}',
    {
      params: { kind: 'pro', id: proId },
      body: { name: `Pro ${proId}`, email: proEmail(proId), locale: 'en', timeZone: 'UTC' },
    },
  );
  bodyOf(contact, 200);
}

export async function registerClient(system: System, who: People, clientId: string) {
  const answer = await systemClient(system, { token: who.operator }).notification.put(
    '/v1/contacts/{kind}/{id}',
    {
      params: { kind: 'client', id: clientId },
      body: {
        name: `Client ${clientId}`,
        email: clientEmail(clientId),
        locale: 'en',
        timeZone: 'Europe/Amsterdam',
      },
    },
  );
  bodyOf(answer, 200);
}

/** A CalDAV calendar of the Pro's, connected through the connector; answers its ids. */
export async function connectCalDav(
  system: System,
  who: People,
  proId: string,
  account: { serverUrl: string; username: string; password: string },
): Promise<{ connectionId: string; calendarId: string }> {
  const pro = systemClient(system, { token: await who.pro(proId) });
  const answer = await pro.connector.post('/v1/pros/{proId}/connections', {
    params: { proId },
    body: { provider: 'caldav', ...account },
  });
  const body = bodyOf(answer, 201);
  const target = body.calendars.find((c) => c.writeTarget) ?? body.calendars[0]!;
  return { connectionId: body.connectionId, calendarId: target.calendarId };
}

/** Waits until availability offers the Pro's slots on that day (the read model follows the bus). */
export async function waitForSlots(system: System, who: People, proId: string, date: string) {
  const operator = systemClient(system, { token: who.operator });
  await eventually(
    async () => {
      const answer = await operator.availability.get('/v1/pros/{proId}/availability', {
        params: { proId },
        query: { serviceId: SERVICE, from: at(date, '00:00'), to: at(date, '23:59') },
      });
      if (answer.status !== 200 || !answer.ok || answer.body.slots.length === 0)
        throw new Error(`no availability for ${proId} yet: ${JSON.stringify(answer)}`);
    },
    30_000,
    250,
  );
}

export interface CalendarItem {
  uid: string;
  sequence: number;
  start: string;
  end: string;
}

/** What is in a CalDAV collection now, as any calendar client would read it. */
export async function calendarItems(caldav: CalDavServerHandle): Promise<CalendarItem[]> {
  const collection = await caldav.get(caldav.calendarUrl);
  if (!collection) return [];
  return parseCalendar(collection.ics).events.map((event) => {
    const start = instantOf(event.start, UTC);
    const length = event.duration.days * DAY + event.duration.ms;
    return {
      uid: event.uid,
      sequence: event.sequence,
      start: new Date(start).toISOString(),
      end: new Date(start + length).toISOString(),
    };
  });
}

export interface Invitation {
  to: string;
  messageId: string | undefined;
  method: string | null;
  uid: string;
  sequence: number;
  start: string;
}

/** Every calendar invitation the mail catcher received, read from its `.ics` part. */
export function invitations(system: System): Invitation[] {
  return system.smtp.delivered.flatMap((mail: ReceivedMail) => {
    if (!mail.calendar) return [];
    const event = parseCalendar(mail.calendar.content).events[0];
    if (!event) return [];
    return mail.envelopeTo.map((to) => ({
      to,
      messageId: mail.messageId,
      method: mail.calendar!.method,
      uid: event.uid,
      sequence: event.sequence,
      start: new Date(instantOf(event.start, UTC)).toISOString(),
    }));
  });
}

export const bookingUid = (bookingId: string) => `booking-${bookingId}@bookings.careservice`;
export const bookingIdOf = (uid: string) => uid.replace(/^booking-|@bookings\.careservice$/g, '');

/** An event the Pro adds in their own calendar app: a plain CalDAV PUT. */
export function externalEvent(uid: string, start: string, end: string): string {
  const stamp = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//a calendar app//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    `DTSTAMP:${stamp(new Date().toISOString())}`,
    `DTSTART:${stamp(start)}`,
    `DTEND:${stamp(end)}`,
    'SUMMARY:Private appointment',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}
