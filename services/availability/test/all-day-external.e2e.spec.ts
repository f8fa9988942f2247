import { eventually } from '@cs/testing';
import request from 'supertest';
import { describe, expect, it } from '@jest/globals';
import { useAvailabilityApp } from './support/app';
import { addDays, at, externalEvent, proSettings, upcomingMonday } from './support/fixtures';

const monday = upcomingMonday();
const zone = 'Pacific/Auckland';
const suite = useAvailabilityApp({ pros: { 'pro-nz': { ...proSettings, timeZone: zone } } });

const localDate = new Intl.DateTimeFormat('en-CA', { timeZone: zone });

/** Free slots per local date of the Pro, Monday to Wednesday of the Pro's week. */
async function slotsPerLocalDay(): Promise<Record<string, number>> {
  const response = await request(suite.app.getHttpServer())
    .get(
      `/v1/pros/pro-nz/availability?serviceId=wound-care&from=${at(addDays(monday, -1), '00:00')}&to=${at(addDays(monday, 3), '00:00')}`,
    )
    .set('authorization', `Bearer ${suite.auth.client}`)
    .expect(200);
  const days: Record<string, number> = {};
  for (const slot of response.body.slots as Array<{ start: string }>) {
    const day = localDate.format(new Date(slot.start));
    days[day] = (days[day] ?? 0) + 1;
  }
  return days;
}

describe('an all-day external event', () => {
  it('blocks the Pro’s local day, not the UTC one', async () => {
    const tuesday = addDays(monday, 1);
    const wednesday = addDays(monday, 2);
    await eventually(async () => expect((await slotsPerLocalDay())[tuesday]).toBe(8));
    await suite.bus.publish(
      'sync',
      'cal-1:all-day',
      'calendar.event_upserted',
      {
        ...externalEvent('pro-nz', 'all-day', tuesday, wednesday),
        allDay: true,
        timeZone: null,
        rdates: [],
      },
      2,
    );
    await eventually(async () => {
      const days = await slotsPerLocalDay();
      expect([days[monday], days[tuesday], days[wednesday]]).toEqual([8, undefined, 8]);
    });
  });
});
