import { describe, expect, it } from '@jest/globals';
import { ERASED } from '@cs/contracts';
import { eraseClientCopies } from './erase-client-copies';

const booking = {
  bookingId: 'b-1',
  start: '2030-06-04T09:00:00.000Z',
  client: { clientId: 'c-1', name: 'Ada', email: 'ada@example.test', locale: 'nl' },
  location: { lat: 52.09, lng: 5.12, address: 'Oudegracht 1' },
};

describe('eraseClientCopies', () => {
  it("erases the client's contact details and place, coordinates too, and keeps times", () => {
    expect(eraseClientCopies(booking, 'c-1')).toEqual({
      bookingId: 'b-1',
      start: '2030-06-04T09:00:00.000Z',
      client: { clientId: 'c-1', name: ERASED, email: ERASED, locale: 'nl' },
      location: { lat: ERASED, lng: ERASED, address: ERASED },
    });
  });

  it('erases copies nested in answers and lists, and leaves other clients alone', () => {
    const other = { ...booking, client: { ...booking.client, clientId: 'c-2' } };
    const answer = { items: [booking, other], location: null };
    const erased = eraseClientCopies(answer, 'c-1') as { items: unknown[] };
    expect(erased.items[0]).toMatchObject({ location: { lat: ERASED } });
    expect(erased.items[1]).toEqual(other);
  });

  it('keeps a booking without a place without one', () => {
    expect(eraseClientCopies({ ...booking, location: null }, 'c-1')).toMatchObject({
      location: null,
    });
  });
});
