import { describe, expect, it } from '@jest/globals';
import { ownerOfPersonalData, parseResealArgs, resealAudit } from './reseal-plan';

describe('parseResealArgs', () => {
  it('takes the service, its schema (the service name unless given), the reason and a dry run', () => {
    expect(parseResealArgs(['--service', 'booking', '--reason', 'GDPR migration'])).toEqual({
      ok: true,
      args: { service: 'booking', schema: 'booking', reason: 'GDPR migration', dryRun: false },
    });
    expect(
      parseResealArgs([
        '--service',
        'availability',
        '--schema',
        'av_1',
        '--reason',
        'x',
        '--dry-run',
      ]),
    ).toEqual({
      ok: true,
      args: { service: 'availability', schema: 'av_1', reason: 'x', dryRun: true },
    });
  });

  it('refuses what would leave the audit event without a reason or touch the wrong schema', () => {
    expect(parseResealArgs(['--service', 'booking'])).toMatchObject({ ok: false });
    expect(parseResealArgs(['--service', 'booking', '--reason', '  '])).toMatchObject({
      ok: false,
      message: expect.stringContaining('--reason'),
    });
    expect(parseResealArgs(['--service', 'sync', '--reason', 'x'])).toMatchObject({ ok: false });
    expect(
      parseResealArgs(['--service', 'booking', '--reason', 'x', '--schema', 'a;drop']),
    ).toMatchObject({ ok: false, message: expect.stringContaining('--schema') });
    expect(parseResealArgs(['--service', 'booking', '--reason'])).toMatchObject({ ok: false });
  });
});

describe('ownerOfPersonalData', () => {
  it("names the client of a booking's place and the Pro of a home", () => {
    const booking = { client: { clientId: 'c-1' }, proId: 'p-1' };
    expect(ownerOfPersonalData('booking.confirmed', booking)).toEqual({
      kind: 'client',
      id: 'c-1',
    });
    expect(ownerOfPersonalData('booking.rescheduled', { proId: 'p-1' })).toBeUndefined();
    expect(ownerOfPersonalData('pro.settings_replaced', { proId: 'p-1' })).toEqual({
      kind: 'pro',
      id: 'p-1',
    });
    expect(ownerOfPersonalData('booking.cancelled', booking)).toBeUndefined();
  });
});

describe('resealAudit', () => {
  it("records booking's rewrite with the person's erasure and availability's apart from the Pro's settings", () => {
    const pro = { kind: 'pro', id: 'p-1' } as const;
    expect(resealAudit('booking', { kind: 'client', id: 'c-1' })).toEqual({
      type: 'person.history_resealed',
      streamId: 'person-client-c-1',
    });
    expect(resealAudit('availability', pro)).toEqual({
      type: 'pro.history_resealed',
      streamId: 'resealed-pro-p-1',
    });
  });
});
