import type { AddressInfo } from 'node:net';
import { eventually } from '@cs/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useAvailabilityApp } from './support/app';
import { addDays, at, externalEvent, proSettings, upcomingMonday } from './support/fixtures';
import { SseReader } from './support/sse-reader';

let base: string;
const readers: SseReader[] = [];
const monday = upcomingMonday();
// Declared before the app's own teardown, which Jest runs after this one: the app cannot
// close while streams are open.
afterAll(() => {
  for (const reader of readers) reader.close();
});

const suite = useAvailabilityApp({
  env: { SSE_HEARTBEAT_MS: '100' },
  pros: {
    'pro-1': { ...proSettings, homeLocation: { lat: 52.09, lng: 5.12 } },
    'pro-2': { ...proSettings, homeLocation: { lat: 52.37, lng: 4.9 } },
  },
});
const http = () => request(suite.app.getHttpServer());
beforeAll(async () => {
  await suite.app.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${(suite.app.getHttpServer().address() as AddressInfo).port}`;
});

const watch = async (headers: Record<string, string> = {}) => {
  const reader = await SseReader.open(
    `${base}/v1/pros/pro-1/availability/stream?serviceId=wound-care`,
    {
      authorization: `Bearer ${suite.auth.client}`,
      ...headers,
    },
  );
  readers.push(reader);
  return reader;
};

describe('GET /v1/pros/{proId}/availability/stream', () => {
  it('sends availability.changed when an external event lands, with heartbeats in between', async () => {
    const reader = await watch();
    expect(reader.status).toBe(200);
    await eventually(async () => expect(reader.comments).toContain('heartbeat'));
    await suite.bus.publish(
      'sync',
      'cal-1:e-1',
      'calendar.event_upserted',
      externalEvent('pro-1', 'e-1', at(monday, '10:30'), at(monday, '10:45')),
    );
    const change = await eventually(async () => {
      const found = reader.events.find((e) => e.event === 'availability.changed');
      expect(found).toBeDefined();
      return found!;
    });
    const data = JSON.parse(change.data!) as { proId: string; from: string; to: string };
    expect(data.proId).toBe('pro-1');
    expect(Date.parse(data.from)).toBeLessThanOrEqual(Date.parse(at(monday, '10:30')));
    expect(Date.parse(data.to)).toBeGreaterThanOrEqual(Date.parse(at(monday, '10:45')));
    expect(Number(change.id)).toBeGreaterThan(0);
  });

  it('resumes after Last-Event-ID with the changes missed while away', async () => {
    const first = await watch();
    await suite.bus.publish(
      'sync',
      'cal-1:e-2',
      'calendar.event_upserted',
      externalEvent('pro-1', 'e-2', at(monday, '12:00'), at(monday, '13:00')),
    );
    const seen = await eventually(async () => {
      const found = first.events.find((e) => e.data?.includes(`${addDays(monday, 1)}T13:00`));
      expect(found).toBeDefined();
      return found!;
    });
    first.close();
    await suite.bus.publish(
      'sync',
      'cal-1:e-3',
      'calendar.event_upserted',
      externalEvent('pro-1', 'e-3', at(monday, '15:00'), at(monday, '16:00')),
    );
    await eventually(async () => {
      const busy = await http()
        .get(`/v1/pros/pro-1/busy?from=${at(monday, '00:00')}&to=${at(monday, '23:00')}`)
        .set('authorization', `Bearer ${suite.auth.service}`);
      expect(busy.body.intervals).toHaveLength(3);
    });
    const resumed = await watch({ 'last-event-id': seen.id! });
    await eventually(async () =>
      expect(resumed.events.some((e) => e.data?.includes(`${addDays(monday, 1)}T16:00`))).toBe(
        true,
      ),
    );
    expect(resumed.events.every((e) => Number(e.id) > Number(seen.id))).toBe(true);
  });

  it('refuses a Pro token watching another Pro', async () => {
    const other = await SseReader.open(`${base}/v1/pros/pro-2/availability/stream`, {
      authorization: `Bearer ${suite.auth.pro}`,
    });
    readers.push(other);
    expect(other.status).toBe(403);
  });
});

describe('POST /v1/availability/search', () => {
  const tuesday = addDays(monday, 1);
  const search = (body: object, token = suite.auth.client) =>
    http()
      .post('/v1/availability/search')
      .set('authorization', `Bearer ${token}`)
      .send({
        serviceId: 'wound-care',
        from: at(tuesday, '00:00'),
        to: at(addDays(tuesday, 1), '00:00'),
        ...body,
      });

  it('ranks the Pro nearer the client first and tells travel', async () => {
    const body = await eventually(async () => {
      const answer = (
        await search({
          territoryId: 'nl-utrecht',
          location: { lat: 52.1, lng: 5.13 },
          limit: 3,
        }).expect(200)
      ).body;
      expect(answer.suggestions).toHaveLength(3);
      return answer;
    });
    expect(body.suggestions[0]).toMatchObject({ proIds: ['pro-1'], travelMinutes: 5 });
    expect(body.suggestions[0]).not.toHaveProperty('parts');
    expect(body.suggestions[0].score).toBeGreaterThanOrEqual(body.suggestions[2].score);
  });

  it('finds slots where two Pros are free together, and explains scores to services', async () => {
    // Both Pros' settings may still be on their way into the read model.
    const body = await eventually(async () => {
      const answer = (
        await search(
          { proIds: ['pro-1', 'pro-2'], prosNeeded: 2, preferences: { earliestTime: '14:00' } },
          suite.auth.service,
        ).expect(200)
      ).body;
      expect(answer.suggestions.length).toBeGreaterThan(0);
      return answer;
    });
    expect(body.suggestions[0].proIds).toEqual(['pro-1', 'pro-2']);
    expect(Number(body.suggestions[0].start.slice(11, 13))).toBeGreaterThanOrEqual(14);
    expect(body.suggestions[0].parts.length).toBeGreaterThan(0);
  });

  it('asks for exactly one of territoryId and proIds', async () => {
    const both = await search({ territoryId: 'nl-utrecht', proIds: ['pro-1'] }).expect(422);
    expect(both.body.errors[0].field).toBe('territoryId');
  });
});
