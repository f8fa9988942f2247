import { describe, expect, it } from '@jest/globals';
import { ERASED, placeOrNone } from '../personal-data';
import { EventRegistry } from '../registry';
import { proSettingsReplaced } from './availability';
import { bookingConfirmed, bookingRescheduled } from './booking';

const registry = new EventRegistry([bookingConfirmed, bookingRescheduled, proSettingsReplaced]);

const slot = {
  proId: 'pro-1',
  serviceId: 'visit',
  start: '2026-03-10T09:00:00.000Z',
  end: '2026-03-10T10:00:00.000Z',
};
const confirmedV1 = {
  bookingId: 'b-1',
  ...slot,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 15,
  client: { clientId: 'c-1', timeZone: null, locale: null },
  location: { lat: 52.09, lng: 5.12, address: 'Oudegracht 1' },
  priority: 'normal',
  override: null,
};

/** Given a stored event of `schemaVersion` (v1 unless said), when it is read, then this is its data now. */
const read = (type: string, data: unknown, schemaVersion = 1) =>
  registry.parse({
    id: '0190a4c2-6b1e-7cc0-8f3e-1b2c3d4e5f60',
    type,
    schemaVersion,
    streamId: 'pro-schedule-pro-1',
    streamVersion: 1,
    occurredAt: '2026-03-01T00:00:00.000Z',
    recordedAt: '2026-03-01T00:00:00.000Z',
    correlationId: 'c',
    causationId: null,
    actor: { kind: 'system', id: 'test' },
    data,
  }).data;

const sealed = {
  sealed: { person: { kind: 'client', id: 'c-1' }, keyVersion: 1, ciphertext: 'AAAA' },
};

describe('booking events v1 → v3 (contact and address sealed from v2, coordinates from v3)', () => {
  it('reads a v1 address and coordinates in clear as written, and no contact details', () => {
    expect(read('booking.confirmed', confirmedV1)).toMatchObject({
      client: { clientId: 'c-1' },
      location: { point: { clear: { lat: 52.09, lng: 5.12 } }, address: { clear: 'Oudegracht 1' } },
    });
    expect(read('booking.confirmed', confirmedV1)).not.toHaveProperty('client.contact');
  });

  it('keeps a missing address and a missing location as they were', () => {
    const noAddress = { ...confirmedV1, location: { lat: 1, lng: 2, address: null } };
    expect(read('booking.confirmed', noAddress)).toMatchObject({
      location: { point: { clear: { lat: 1, lng: 2 } }, address: null },
    });
    expect(read('booking.confirmed', { ...confirmedV1, location: null })).toMatchObject({
      location: null,
    });
    const moved = { bookingId: 'b-1', ...slot, previous: slot };
    expect(read('booking.rescheduled', moved)).not.toHaveProperty('location');
  });

  it('reads v2 coordinates in clear as written beside the sealed address', () => {
    const v2 = { ...confirmedV1, location: { lat: 52.09, lng: 5.12, address: sealed } };
    expect(read('booking.confirmed', v2, 2)).toMatchObject({
      location: { point: { clear: { lat: 52.09, lng: 5.12 } }, address: sealed },
    });
    const moved = { bookingId: 'b-1', ...slot, previous: slot, location: v2.location };
    expect(read('booking.rescheduled', moved, 2)).toMatchObject({
      location: { point: { clear: { lat: 52.09, lng: 5.12 } } },
    });
  });

  it('accepts only sealed or clear personal data in v3', () => {
    const plain = { ...confirmedV1, location: { point: { lat: 1, lng: 2 }, address: null } };
    expect(() => registry.validateData('booking.confirmed', plain)).toThrow(/invalid data/);
    const v2Shape = { ...confirmedV1, location: { lat: 1, lng: 2, address: sealed } };
    expect(() => registry.validateData('booking.confirmed', v2Shape)).toThrow(/invalid data/);
    const v3 = { ...confirmedV1, location: { point: sealed, address: sealed } };
    expect(registry.validateData('booking.confirmed', v3)).toMatchObject({ location: v3.location });
  });
});

describe('pro.settings_replaced v1 → v2 (the home sealed from v2 on)', () => {
  const settings = {
    timeZone: 'Europe/Amsterdam',
    territoryId: 'nl-utrecht',
    homeLocation: { lat: 52.0907, lng: 5.1214 },
    services: [],
    weeklyHours: [],
    dateOverrides: [],
    minNoticeMinutes: null,
    horizonDays: null,
    maxBookingsPerDay: null,
    slotStepMinutes: 15,
    worksOnHolidays: false,
    staleSourcePolicy: 'ignore',
  };

  it('reads a v1 home in clear as written, and no home as none', () => {
    expect(read('pro.settings_replaced', { proId: 'p-1', settings })).toMatchObject({
      settings: { homeLocation: { clear: { lat: 52.0907, lng: 5.1214 } } },
    });
    const homeless = { proId: 'p-1', settings: { ...settings, homeLocation: null } };
    expect(read('pro.settings_replaced', homeless)).toMatchObject({
      settings: { homeLocation: null },
    });
  });

  it('refuses a home in clear without saying so in v2', () => {
    expect(() =>
      registry.validateData('pro.settings_replaced', { proId: 'p-1', settings }),
    ).toThrow(/invalid data/);
  });
});

describe('placeOrNone', () => {
  it('counts an erased place as none and keeps only the coordinates of an opened one', () => {
    expect(placeOrNone(ERASED)).toBeNull();
    expect(placeOrNone(null)).toBeNull();
    expect(placeOrNone(undefined)).toBeNull();
    expect(placeOrNone({ lat: 1, lng: 2 })).toEqual({ lat: 1, lng: 2 });
  });
});
