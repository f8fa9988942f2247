import { describe, expect, it } from '@jest/globals';
import { EventRegistry } from '../registry';
import { bookingConfirmed, bookingRescheduled } from './booking';

const registry = new EventRegistry([bookingConfirmed, bookingRescheduled]);

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

/** Given a stored v1 event, when it is read, then this is its v2 data. */
const read = (type: string, data: unknown) =>
  registry.parse({
    id: '0190a4c2-6b1e-7cc0-8f3e-1b2c3d4e5f60',
    type,
    schemaVersion: 1,
    streamId: 'pro-schedule-pro-1',
    streamVersion: 1,
    occurredAt: '2026-03-01T00:00:00.000Z',
    recordedAt: '2026-03-01T00:00:00.000Z',
    correlationId: 'c',
    causationId: null,
    actor: { kind: 'system', id: 'test' },
    data,
  }).data;

describe('booking events v1 → v2 (personal data sealed from v2 on)', () => {
  it('reads a v1 address in clear as written, and no contact details', () => {
    expect(read('booking.confirmed', confirmedV1)).toMatchObject({
      client: { clientId: 'c-1' },
      location: { lat: 52.09, lng: 5.12, address: { clear: 'Oudegracht 1' } },
    });
    expect(read('booking.confirmed', confirmedV1)).not.toHaveProperty('client.contact');
  });

  it('keeps a missing address and a missing location as they were', () => {
    const noAddress = { ...confirmedV1, location: { lat: 1, lng: 2, address: null } };
    expect(read('booking.confirmed', noAddress)).toMatchObject({ location: { address: null } });
    expect(read('booking.confirmed', { ...confirmedV1, location: null })).toMatchObject({
      location: null,
    });
    const moved = { bookingId: 'b-1', ...slot, previous: slot };
    expect(read('booking.rescheduled', moved)).not.toHaveProperty('location');
  });

  it('accepts only sealed or clear personal data in v2', () => {
    const v2 = { ...confirmedV1, location: { lat: 1, lng: 2, address: 'in clear' } };
    expect(() => registry.validateData('booking.confirmed', v2)).toThrow(/invalid data/);
  });
});
