import { eventually, pathologicalRules } from '@cs/testing';
import request from 'supertest';
import { describe, expect, it } from '@jest/globals';
import { useAvailabilityApp } from './support/app';
import { addDays, at, externalEvent, proSettings, upcomingMonday } from './support/fixtures';

const monday = upcomingMonday();
const suite = useAvailabilityApp({ pros: { 'pro-odd': proSettings, 'pro-calm': proSettings } });
const http = () => request(suite.app.getHttpServer());

const availability = (proId: string) =>
  http()
    .get(
      `/v1/pros/${proId}/availability?serviceId=wound-care&from=${at(monday, '00:00')}&to=${at(addDays(monday, 30), '00:00')}`,
    )
    .set('authorization', `Bearer ${suite.auth.service}`);

const busyOf = async (proId: string) =>
  (
    await http()
      .get(
        `/v1/pros/${proId}/busy?from=${at(monday, '00:00')}&to=${at(addDays(monday, 30), '00:00')}`,
      )
      .set('authorization', `Bearer ${suite.auth.service}`)
      .expect(200)
  ).body.intervals as Array<{ start: string; end: string }>;

describe('recurrence rules that no engine can expand in full', () => {
  it('cost only their own event: every answer comes back and the service stays live', async () => {
    await suite.bus.publish(
      'sync',
      'cal-1:calm',
      'calendar.event_upserted',
      externalEvent('pro-calm', 'calm', at(monday, '10:00'), at(monday, '11:00')),
    );
    for (const [n, rule] of pathologicalRules.entries()) {
      const start = rule.since ?? at(addDays(monday, n % 5), rule.allDay ? '00:00' : '12:00');
      const length = rule.allDay ? 86_400_000 : 1_800_000;
      await suite.bus.publish('sync', `cal-1:odd-${n}`, 'calendar.event_upserted', {
        ...externalEvent(
          'pro-odd',
          `odd-${n}`,
          start,
          new Date(Date.parse(start) + length).toISOString(),
        ),
        allDay: rule.allDay,
        rrule: rule.rrule,
      });
    }
    await suite.bus.publish(
      'sync',
      'cal-1:last',
      'calendar.event_upserted',
      externalEvent('pro-odd', 'last', at(monday, '16:00'), at(monday, '17:00')),
    );
    // The event published last is applied once the ones before it were.
    await eventually(async () =>
      expect((await busyOf('pro-odd')).map((i) => i.start)).toContain(`${monday}T16:00:00.000Z`),
    );
    await eventually(async () =>
      expect((await busyOf('pro-calm')).map((i) => i.start)).toContain(`${monday}T10:00:00.000Z`),
    );

    const answers = await Promise.all([
      ...Array.from({ length: 4 }, () => availability('pro-odd')),
      ...Array.from({ length: 4 }, () => availability('pro-calm')),
      ...Array.from({ length: 4 }, () => http().get('/health/live')),
    ]);
    for (const answer of answers) expect(answer.status).toBe(200);

    const calm = answers[4]!.body.slots as Array<{ start: string }>;
    expect(calm.map((s) => s.start)).not.toContain(`${monday}T10:00:00.000Z`);
    expect(calm.map((s) => s.start)).toContain(`${monday}T09:00:00.000Z`);

    // Where a rule cannot be expanded its first instance still counts as busy.
    const odd = answers[0]!.body.slots as Array<{ start: string }>;
    expect(odd.map((s) => s.start)).not.toContain(`${monday}T16:00:00.000Z`);
    expect(odd.some((s) => s.start.startsWith(monday))).toBe(false);
  });
});
