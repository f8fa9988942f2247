import { eventually } from '@cs/testing';
import request from 'supertest';
import { describe, expect, it } from '@jest/globals';
import { useAvailabilityApp } from './support/app';
import { addDays, at, proSettings, territory, upcomingMonday } from './support/fixtures';

const monday = upcomingMonday();
const pros = ['bulk-1', 'bulk-2', 'bulk-3'];

const suite = useAvailabilityApp({
  territories: {
    'nl-utrecht': { ...territory, timeZone: 'Europe/Amsterdam', holidayRegion: 'NL' },
    'be-gent': { ...territory, timeZone: 'Europe/Brussels', holidayRegion: 'BE' },
  },
});
const http = () => request(suite.app.getHttpServer());

const post = (path: string, body: object, token = suite.auth.service) =>
  http().post(path).set('authorization', `Bearer ${token}`).send(body);
const slotCount = async (proId: string) => {
  const response = await http()
    .get(
      `/v1/pros/${proId}/availability?serviceId=wound-care&from=${at(monday, '00:00')}&to=${at(addDays(monday, 1), '00:00')}`,
    )
    .set('authorization', `Bearer ${suite.auth.service}`)
    .expect(200);
  return (response.body.slots as unknown[]).length;
};
/** A Pro's recorded events; an empty stream is a 404 from the audit endpoint. */
const eventsOf = async (proId: string) => {
  const response = await http()
    .get(`/v1/audit/streams/pro-${proId}`)
    .set('authorization', `Bearer ${suite.auth.service}`);
  if (response.status === 404) return [];
  expect(response.status).toBe(200);
  return response.body.events as Array<{ type: string; data: Record<string, unknown> }>;
};

describe('POST /v1/bulk/pros', () => {
  it('replaces each Pro on its own: a bad item is refused, the others are recorded', async () => {
    const response = await post('/v1/bulk/pros', {
      items: [
        { proId: 'bulk-1', settings: proSettings },
        { proId: 'bulk-2', settings: { ...proSettings, timeZone: 'Europe/Atlantis' } },
        { proId: 'bulk-3', settings: { ...proSettings, weeklyHours: 'always' } },
        { proId: 'bulk-4', settings: { ...proSettings, territoryId: 'be-gent' } },
      ],
    }).expect(200);
    expect(response.body.results).toEqual([
      { proId: 'bulk-1', status: 'applied', version: 1, consistencyToken: expect.any(String) },
      {
        proId: 'bulk-2',
        status: 'rejected',
        error: {
          message: expect.any(String),
          errors: [{ field: 'timeZone', message: expect.stringContaining('Atlantis') }],
        },
      },
      {
        proId: 'bulk-3',
        status: 'rejected',
        error: {
          message: expect.any(String),
          errors: [expect.objectContaining({ field: 'weeklyHours' })],
        },
      },
      { proId: 'bulk-4', status: 'applied', version: 1, consistencyToken: expect.any(String) },
    ]);
    expect(await eventsOf('bulk-2')).toEqual([]);
    expect((await eventsOf('bulk-1')).map((e) => e.type)).toEqual(['pro.settings_replaced']);
  });

  it('says unchanged for the same settings again, and refuses a Pro named twice', async () => {
    const again = await post('/v1/bulk/pros', {
      items: [
        { proId: 'bulk-1', settings: proSettings },
        { proId: 'bulk-2', settings: proSettings },
        { proId: 'bulk-3', settings: proSettings },
      ],
    }).expect(200);
    expect(again.body.results.map((r: { status: string }) => r.status)).toEqual([
      'unchanged',
      'applied',
      'applied',
    ]);
    const twice = await post('/v1/bulk/pros', {
      items: [
        { proId: 'bulk-1', settings: proSettings },
        { proId: 'bulk-1', settings: proSettings },
      ],
    }).expect(422);
    expect(twice.body.errors).toEqual([{ field: 'items.1.proId', message: expect.any(String) }]);
  });

  it('is for services only', async () => {
    await post(
      '/v1/bulk/pros',
      { items: [{ proId: 'pro-1', settings: proSettings }] },
      suite.auth.pro,
    ).expect(403);
  });
});

describe('POST /v1/bulk/absences', () => {
  const closure = {
    start: at(monday, '00:00'),
    end: at(addDays(monday, 1), '00:00'),
    reason: 'storm',
  };

  it("closes a territory: every Pro of it gets its own absence, other territories' Pros none", async () => {
    await eventually(async () => expect(await slotCount('bulk-3')).toBe(8));
    await eventually(async () => expect(await slotCount('bulk-4')).toBe(8));
    const response = await post('/v1/bulk/absences', {
      ...closure,
      territoryId: 'nl-utrecht',
    }).expect(200);
    expect(response.body.results).toEqual(
      pros.map((proId) => ({
        proId,
        status: 'applied',
        version: 2,
        consistencyToken: expect.any(String),
        absenceId: expect.any(String),
      })),
    );
    for (const proId of pros) {
      const added = (await eventsOf(proId)).filter((e) => e.type === 'pro.absence_added');
      expect(added).toEqual([
        expect.objectContaining({ data: expect.objectContaining({ proId, reason: 'storm' }) }),
      ]);
    }
    await eventually(async () => expect(await slotCount('bulk-3')).toBe(0));
    expect(await slotCount('bulk-4')).toBe(8);
  });

  it('adds nothing twice when retried with the same Idempotency-Key', async () => {
    const send = () =>
      post('/v1/bulk/absences', { ...closure, proIds: ['bulk-4', 'never-configured'] })
        .set('idempotency-key', 'closure-42')
        .expect(200);
    const first = await send();
    const second = await send();
    expect(first.body.results.map((r: { status: string }) => r.status)).toEqual([
      'applied',
      'applied',
    ]);
    expect(second.body.results.map((r: { status: string }) => r.status)).toEqual([
      'unchanged',
      'unchanged',
    ]);
    expect(second.body.results[0].absenceId).toBe(first.body.results[0].absenceId);
    expect((await eventsOf('bulk-4')).filter((e) => e.type === 'pro.absence_added')).toHaveLength(
      1,
    );
  });

  it('refuses a span that ends before it starts, and a body with both or neither target', async () => {
    const reversed = await post('/v1/bulk/absences', {
      ...closure,
      start: closure.end,
      end: closure.start,
      proIds: ['bulk-1'],
    }).expect(422);
    expect(reversed.body.errors).toEqual([{ field: 'end', message: 'must be after start' }]);
    await post('/v1/bulk/absences', closure).expect(422);
    await post('/v1/bulk/absences', {
      ...closure,
      proIds: ['bulk-1'],
      territoryId: 'nl-utrecht',
    }).expect(422);
  });
});
