import { eventually } from '@cs/testing';
import request from 'supertest';
import { describe, expect, it } from '@jest/globals';
import { useAvailabilityApp } from './support/app';
import { proSettings } from './support/fixtures';

const suite = useAvailabilityApp();
const http = () => request(suite.app.getHttpServer());

const put = (proId: string, token: string, body: object) =>
  http().put(`/v1/pros/${proId}`).set('authorization', `Bearer ${token}`).send(body);

describe('PUT /v1/pros/{proId}', () => {
  it('records the settings with their defaults, versioned, and ignores an identical replace', async () => {
    expect((await put('pro-1', suite.auth.pro, proSettings).expect(200)).body).toEqual({
      proId: 'pro-1',
      version: 1,
    });
    expect((await put('pro-1', suite.auth.pro, proSettings).expect(200)).body.version).toBe(1);
    const audit = await http()
      .get('/v1/audit/streams/pro-pro-1')
      .set('authorization', `Bearer ${suite.auth.service}`)
      .expect(200);
    expect(audit.body.events[0]).toMatchObject({
      type: 'pro.settings_replaced',
      actor: { kind: 'pro', id: 'pro-1' },
      data: {
        proId: 'pro-1',
        settings: {
          dateOverrides: [],
          staleSourcePolicy: 'ignore',
          maxBookingsPerDay: null,
          weeklyHours: [{ serviceIds: null, emergencyOnly: false, repeat: null }],
        },
      },
    });
  });

  it('answers 412 to a stale If-Match', async () => {
    const stale = await put('pro-1', suite.auth.service, { ...proSettings, slotStepMinutes: 30 })
      .set('if-match', '"0"')
      .expect(412);
    expect(stale.body).toMatchObject({ status: 412, currentVersion: 1 });
    expect(
      (
        await put('pro-1', suite.auth.service, { ...proSettings, slotStepMinutes: 30 })
          .set('if-match', '"1"')
          .expect(200)
      ).body.version,
    ).toBe(2);
  });

  it('names each semantically invalid field in a 422', async () => {
    const invalid = await put('pro-1', suite.auth.service, {
      ...proSettings,
      timeZone: 'Europe/Atlantis',
      territoryId: 'nowhere',
      services: [{ serviceId: 'wound-care' }],
      weeklyHours: [
        { days: ['MO'], start: '09:00', end: '12:00' },
        { days: ['MO', 'TU'], start: '11:00', end: '14:00' },
      ],
    }).expect(422);
    expect(invalid.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'timeZone',
      'territoryId',
      'services.0.durationMinutes',
      'weeklyHours.1',
    ]);
    const backwards = await put('pro-1', suite.auth.service, {
      ...proSettings,
      weeklyHours: [{ days: ['MO'], start: '17:00', end: '09:00' }],
    }).expect(422);
    expect(backwards.body.errors).toEqual([
      { field: 'weeklyHours.0.end', message: expect.stringContaining('not after its start') },
    ]);
    const malformed = await put('pro-1', suite.auth.service, {
      ...proSettings,
      slotStepMinutes: 'often',
    }).expect(422);
    expect(malformed.body.errors).toEqual([expect.objectContaining({ field: 'slotStepMinutes' })]);
    const both = await put('pro-1', suite.auth.service, {
      ...proSettings,
      timeZone: 'Europe/Atlantis',
      territoryId: 'nowhere',
      slotStepMinutes: 'often',
    }).expect(422);
    expect(both.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'slotStepMinutes',
      'territoryId',
      'timeZone',
    ]);
  });

  it('lets a Pro change only its own settings', async () => {
    await put('pro-2', suite.auth.pro, proSettings).expect(403);
    await put('pro-1', suite.auth.client, proSettings).expect(403);
    await http().put('/v1/pros/pro-1').send(proSettings).expect(401);
  });
});

describe('absences', () => {
  it('records an absence with a server-made id, and removes it once', async () => {
    const created = await http()
      .post('/v1/pros/pro-1/absences')
      .set('authorization', `Bearer ${suite.auth.pro}`)
      .send({
        start: '2027-01-04T00:00:00+01:00',
        end: '2027-01-09T00:00:00+01:00',
        reason: 'vacation',
      })
      .expect(201);
    const absenceId: string = created.body.absenceId;
    expect(absenceId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    await eventually(async () => {
      const busy = await http()
        .get('/v1/pros/pro-1/busy?from=2027-01-01T00:00:00Z&to=2027-01-31T00:00:00Z')
        .set('authorization', `Bearer ${suite.auth.pro}`)
        .expect(200);
      expect(busy.body.intervals).toEqual([
        {
          kind: 'absence',
          absenceId,
          start: '2027-01-03T23:00:00.000Z',
          end: '2027-01-08T23:00:00.000Z',
        },
      ]);
    });
    await http()
      .delete(`/v1/pros/pro-1/absences/${absenceId}`)
      .set('authorization', `Bearer ${suite.auth.pro}`)
      .expect(204);
    await http()
      .delete(`/v1/pros/pro-1/absences/${absenceId}`)
      .set('authorization', `Bearer ${suite.auth.pro}`)
      .expect(404);
  });

  it('refuses an absence that ends before it starts, and one for another Pro', async () => {
    const backwards = await http()
      .post('/v1/pros/pro-1/absences')
      .set('authorization', `Bearer ${suite.auth.pro}`)
      .send({ start: '2027-01-09T00:00:00Z', end: '2027-01-04T00:00:00Z', reason: '' })
      .expect(422);
    expect(backwards.body.errors).toEqual([{ field: 'end', message: 'must be after start' }]);
    await http()
      .post('/v1/pros/pro-2/absences')
      .set('authorization', `Bearer ${suite.auth.pro}`)
      .send({ start: '2027-01-04T00:00:00Z', end: '2027-01-09T00:00:00Z' })
      .expect(403);
  });
});
