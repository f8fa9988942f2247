import { eventually } from '@cs/testing';
import request from 'supertest';
import { describe, expect, it } from '@jest/globals';
import { useAvailabilityApp } from './support/app';

const suite = useAvailabilityApp({ territories: {} });

const utrecht = {
  timeZone: 'Europe/Amsterdam',
  holidayRegion: 'NL',
  serviceRadiusKm: 25,
  defaults: { minNoticeMinutes: 120 },
};

describe('PUT /v1/territories/{territoryId}', () => {
  it('records the settings as an event carrying the caller and the correlation id, and the read model follows', async () => {
    const response = await request(suite.app.getHttpServer())
      .put('/v1/territories/nl-utrecht')
      .set('authorization', `Bearer ${suite.auth.service}`)
      .set('x-correlation-id', 'req-42')
      .send(utrecht)
      .expect(200);
    expect(response.body).toEqual({ territoryId: 'nl-utrecht', version: 1 });
    expect(response.headers['x-correlation-id']).toBe('req-42');

    const audit = await request(suite.app.getHttpServer())
      .get('/v1/audit/streams/territory-nl-utrecht')
      .set('authorization', `Bearer ${suite.auth.service}`)
      .expect(200);
    expect(audit.body.events[0]).toMatchObject({
      type: 'territory.settings_replaced',
      correlationId: 'req-42',
      causationId: null,
      actor: { kind: 'service', id: 'scheduler' },
      data: { territoryId: 'nl-utrecht', settings: { serviceRadiusKm: 25, averageSpeedKmh: null } },
    });

    const view = await eventually(async () =>
      request(suite.app.getHttpServer())
        .get('/v1/territories/nl-utrecht')
        .set('authorization', `Bearer ${suite.auth.pro}`)
        .expect(200),
    );
    expect(view.body).toMatchObject({
      territoryId: 'nl-utrecht',
      timeZone: 'Europe/Amsterdam',
      version: 1,
    });
  });

  it('answers 412 to a stale If-Match and 200 to the current one', async () => {
    const put = (ifMatch: string) =>
      request(suite.app.getHttpServer())
        .put('/v1/territories/nl-utrecht')
        .set('authorization', `Bearer ${suite.auth.service}`)
        .set('if-match', ifMatch)
        .send({ ...utrecht, serviceRadiusKm: 40 });
    const stale = await put('"0"').expect(412);
    expect(stale.body).toMatchObject({ status: 412, currentVersion: 1 });
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect((await put('"1"').expect(200)).body.version).toBe(2);
  });

  it('names the fields of a malformed or semantically invalid body', async () => {
    const malformed = await request(suite.app.getHttpServer())
      .put('/v1/territories/nl-utrecht')
      .set('authorization', `Bearer ${suite.auth.service}`)
      .send({ timeZone: 'Europe/Amsterdam', holidayRegion: 'NL', detourFactor: 'long' })
      .expect(422);
    expect(malformed.body.errors).toEqual([expect.objectContaining({ field: 'detourFactor' })]);
    const invalid = await request(suite.app.getHttpServer())
      .put('/v1/territories/nl-utrecht')
      .set('authorization', `Bearer ${suite.auth.service}`)
      .send({ ...utrecht, holidayRegion: 'ZZ' })
      .expect(422);
    expect(invalid.body.errors).toEqual([
      { field: 'holidayRegion', message: 'unknown holiday region "ZZ"' },
    ]);
  });

  it('lets only the service role change a territory', async () => {
    await request(suite.app.getHttpServer())
      .put('/v1/territories/nl-utrecht')
      .send(utrecht)
      .expect(401);
    await request(suite.app.getHttpServer())
      .put('/v1/territories/nl-utrecht')
      .set('authorization', `Bearer ${suite.auth.pro}`)
      .send(utrecht)
      .expect(403);
  });
});
