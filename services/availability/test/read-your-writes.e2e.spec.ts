import { decodeConsistencyToken, encodeConsistencyToken } from '@cs/platform';
import request from 'supertest';
import { describe, expect, it } from '@jest/globals';
import { startAvailability, useAvailabilityApp } from './support/app';
import { addDays, at, proSettings, upcomingMonday } from './support/fixtures';

const monday = upcomingMonday();
// Far beyond any projection lag of a busy machine: a read with a token must never be refused here.
const suite = useAvailabilityApp({ env: { CONSISTENCY_WAIT_MS: '60000' } });
const http = () => request(suite.app.getHttpServer());

const workingUntil = (hour: number) => ({
  ...proSettings,
  weeklyHours: [{ days: ['MO', 'TU', 'WE', 'TH', 'FR'], start: '09:00', end: `${hour}:00` }],
});

const put = async (proId: string, hour: number) => {
  const answer = await http()
    .put(`/v1/pros/${proId}`)
    .set('authorization', `Bearer ${suite.auth.service}`)
    .send(workingUntil(hour))
    .expect(200);
  return answer.headers['consistency-token'] as string;
};

const availability = (proId: string, server = suite.app.getHttpServer()) =>
  request(server)
    .get(
      `/v1/pros/${proId}/availability?serviceId=wound-care&from=${at(monday, '00:00')}&to=${at(addDays(monday, 1), '00:00')}`,
    )
    .set('authorization', `Bearer ${suite.auth.client}`);

describe('read your own writes', () => {
  it('answers a command with the token of what it wrote, the same settings again included', async () => {
    const first = await put('pro-token', 12);
    expect(decodeConsistencyToken(first)).toEqual([
      { context: 'availability', streamId: 'pro-pro-token', version: 1 },
    ]);
    expect(decodeConsistencyToken(await put('pro-token', 12))).toEqual(
      decodeConsistencyToken(first),
    );
  });

  it('never shows a read older than the write whose token it was given', async () => {
    for (let i = 0; i < 50; i++) {
      const proId = `pro-rw-${i}`;
      const created = await put(proId, 10 + (i % 7));
      const seen = await availability(proId).set('if-consistent-with', created).expect(200);
      expect(seen.body.slots).toHaveLength(1 + (i % 7));
      const changed = await put(proId, 17 - (i % 7));
      const again = await availability(proId).query({ consistentWith: changed }).expect(200);
      expect(again.body.slots).toHaveLength(8 - (i % 7));
    }
    // A bound for a loaded machine, where each write may take seconds to reach the read model.
  }, 600_000);

  it('waits for busy time and working windows too', async () => {
    const token = await put('pro-windows', 11);
    const windows = await http()
      .get(
        `/v1/pros/pro-windows/working-windows?from=${at(monday, '00:00')}&to=${at(addDays(monday, 1), '00:00')}`,
      )
      .set('authorization', `Bearer ${suite.auth.service}`)
      .set('if-consistent-with', token)
      .expect(200);
    expect(windows.body.windows).toHaveLength(1);
    await http()
      .get(
        `/v1/pros/pro-windows/busy?from=${at(monday, '00:00')}&to=${at(addDays(monday, 1), '00:00')}`,
      )
      .set('authorization', `Bearer ${suite.auth.service}`)
      .set('if-consistent-with', token)
      .expect(200);
  });

  it('ignores positions of streams it does not follow', async () => {
    const written = decodeConsistencyToken(await put('pro-other', 12))!;
    const withForeign = encodeConsistencyToken([
      ...written,
      { context: 'notification', streamId: 'notification-1', version: 99 },
    ])!;
    await availability('pro-other').set('if-consistent-with', withForeign).expect(200);
  });

  it('answers 503 with Retry-After when the read model cannot show the write in time', async () => {
    await put('pro-ahead', 12);
    // A second instance on the same schema that does not wait at all.
    const impatient = await startAvailability(suite.ctx, { CONSISTENCY_WAIT_MS: '0' });
    try {
      const ahead = encodeConsistencyToken([
        { context: 'availability', streamId: 'pro-pro-ahead', version: 1_000 },
      ])!;
      const refused = await availability('pro-ahead', impatient.getHttpServer())
        .set('if-consistent-with', ahead)
        .expect(503);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(refused.body.type).toMatch(/not-yet-consistent$/);
    } finally {
      await impatient.close();
    }
  });

  it('refuses a token that is not one with 400 naming where it came', async () => {
    const header = await availability('pro-ahead')
      .set('if-consistent-with', 'not a token')
      .expect(400);
    expect(header.body.errors[0].field).toBe('If-Consistent-With');
    const wellEncodedNonsense = Buffer.from('{"a":1}').toString('base64url');
    const parameter = await availability('pro-ahead')
      .query({ consistentWith: wellEncodedNonsense })
      .expect(400);
    expect(parameter.body.errors[0].field).toBe('consistentWith');
  });
});
