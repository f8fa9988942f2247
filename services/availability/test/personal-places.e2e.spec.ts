import { randomUUID } from 'node:crypto';
import { ERASED, eventRegistry, type PersonRef } from '@cs/contracts';
import { PersonalData, withTransaction } from '@cs/eventing';
import { eventually } from '@cs/testing';
import request from 'supertest';
import { describe, expect, it } from '@jest/globals';
import { useAvailabilityApp } from './support/app';
import { addDays, at, proSettings, upcomingMonday } from './support/fixtures';

const monday = upcomingMonday();
const thursday = addDays(monday, 3);
// A home no other test uses, so a hit in a table can only be this Pro's.
const HOME = { lat: 52.0931577, lng: 5.1187331 };

const suite = useAvailabilityApp({ pros: { 'pro-1': proSettings } });
const http = () => request(suite.app.getHttpServer());
const keyStore = () => suite.app.get(PersonalData);

const startsOn = async (date: string, extra = '') => {
  const response = await http()
    .get(
      `/v1/pros/pro-1/availability?serviceId=wound-care&from=${at(date, '00:00')}&to=${at(addDays(date, 1), '00:00')}${extra}`,
    )
    .set('authorization', `Bearer ${suite.auth.client}`)
    .expect(200);
  return (response.body.slots as Array<{ start: string }>).map((s) => s.start.slice(11, 16));
};
const allDay = ['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00'];
const without = (...times: string[]) => allDay.filter((t) => !times.includes(t));
// A client 18 km from the booking: 40 minutes of travel close the slots on either side.
const FAR = '&lat=52.27&lng=5.12';

/** What the booking service does on `DELETE /v1/people/{kind}/{id}`: keys gone, then the event. */
async function erase(person: PersonRef): Promise<void> {
  const keysDestroyed = await withTransaction(suite.ctx.pool, (tx) =>
    keyStore().keys.erase(tx, person, new Date()),
  );
  const now = new Date().toISOString();
  const envelope = eventRegistry.parse({
    id: randomUUID(),
    type: 'person.erased',
    schemaVersion: 1,
    streamId: `person-${person.kind}-${person.id}`,
    streamVersion: 1,
    occurredAt: now,
    recordedAt: now,
    correlationId: randomUUID(),
    causationId: null,
    actor: { kind: 'system', id: 'test' },
    data: { kind: person.kind, personId: person.id, keysDestroyed },
  });
  await suite.ctx.js.publish(
    suite.ctx.naming.subject('booking', 'person.erased'),
    JSON.stringify(envelope),
    { msgID: envelope.id },
  );
}

const tableText = async (sql: string) => JSON.stringify((await suite.ctx.pool.query(sql)).rows);

describe('places sealed in events, opened for travel time (docs/adr/0008)', () => {
  it("opens a booking's sealed place for travel; once its client is erased the booking keeps its time and adds no travel", async () => {
    const client = { kind: 'client', id: 'c-sealed' } as const;
    const point = await keyStore().seal(suite.ctx.pool, client, { lat: 52.0907, lng: 5.1214 });
    await suite.bus.publish(
      'booking',
      'pro-schedule-pro-1',
      'booking.confirmed',
      {
        bookingId: 'b-sealed',
        proId: 'pro-1',
        serviceId: 'wound-care',
        start: at(thursday, '12:00'),
        end: at(thursday, '13:00'),
        bufferBeforeMinutes: 0,
        bufferAfterMinutes: 0,
        client: { clientId: client.id, timeZone: null, locale: null },
        location: { point, address: null },
        priority: 'normal',
        override: null,
      },
      3,
    );
    await eventually(async () => expect(await startsOn(thursday)).toEqual(without('12:00')));
    expect(await startsOn(thursday, FAR)).toEqual(without('11:00', '12:00', '13:00'));

    await erase(client);
    await eventually(async () => expect(await startsOn(thursday, FAR)).toEqual(without('12:00')));
    expect(await startsOn(thursday)).toEqual(without('12:00'));
    expect(await tableText('SELECT * FROM proj_schedules_appointments')).not.toContain('52.0907');
  });

  it("seals the Pro's home in the event, shows it opened to the audit, and erased with the Pro", async () => {
    await http()
      .put('/v1/pros/pro-2')
      .set('authorization', `Bearer ${suite.auth.service}`)
      .send({ ...proSettings, homeLocation: HOME })
      .expect(200);
    expect(await tableText("SELECT data FROM events WHERE stream_id = 'pro-pro-2'")).not.toContain(
      String(HOME.lat),
    );
    const audit = async () =>
      (
        await http()
          .get('/v1/audit/streams/pro-pro-2')
          .set('authorization', `Bearer ${suite.auth.service}`)
          .expect(200)
      ).body.events[0].data.settings.homeLocation;
    expect(await audit()).toEqual(HOME);
    await eventually(async () =>
      expect(await tableText('SELECT settings FROM proj_schedules_pros')).toContain(
        String(HOME.lat),
      ),
    );

    await erase({ kind: 'pro', id: 'pro-2' });
    expect(await audit()).toBe(ERASED);
    await eventually(async () =>
      expect(await tableText('SELECT settings FROM proj_schedules_pros')).not.toContain(
        String(HOME.lat),
      ),
    );
  });
});
