import { describe, expect, it } from '@jest/globals';
import { clientOfBooking, type Contact, isE164 } from './contact';

describe('isE164', () => {
  it('accepts international numbers with a plus and refuses the rest', () => {
    expect(isE164('+31612345678')).toBe(true);
    expect(isE164('+14155552671')).toBe(true);
    for (const bad of ['0612345678', '+0612345678', '+31 6 12345678', '+3161234567890123', '+31'])
      expect(isE164(bad)).toBe(false);
  });
});

describe('clientOfBooking', () => {
  const registered: Contact = {
    kind: 'client',
    id: 'c1',
    name: 'Registered',
    email: 'registered@example.org',
    phone: '+31600000000',
    locale: 'nl',
    timeZone: 'Europe/Amsterdam',
    reminderOffsetsMinutes: [60],
  };
  const noZone = { timeZone: null, locale: null };

  it('takes what the booking gave first and the registered contact for the rest', () => {
    const client = clientOfBooking('c1', { email: 'booked@example.org' }, registered, noZone);
    expect(client).toMatchObject({
      name: 'Registered',
      email: 'booked@example.org',
      phone: '+31600000000',
      locale: 'nl',
      reminderOffsetsMinutes: [60],
    });
  });

  it('reaches a client nobody registered through the booking alone', () => {
    const client = clientOfBooking('c1', { name: 'Ann', phone: '+31611111111' }, null, {
      timeZone: 'Europe/Brussels',
      locale: 'en',
    });
    expect(client).toEqual({
      kind: 'client',
      id: 'c1',
      name: 'Ann',
      email: null,
      phone: '+31611111111',
      locale: 'en',
      timeZone: 'Europe/Brussels',
      reminderOffsetsMinutes: null,
    });
  });

  it('falls back to the registered contact when the booking gave none', () => {
    expect(clientOfBooking('c1', null, registered, noZone)).toBe(registered);
    expect(clientOfBooking('c1', null, null, noZone)).toBeNull();
  });
});
