/** How to reach a Pro or a client; events never carry addresses, so this service keeps its own. */
export interface Contact {
  kind: 'pro' | 'client';
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  locale: string;
  timeZone: string;
  /** A client's own choice of reminder offsets (minutes before), overriding the territory's. */
  reminderOffsetsMinutes: number[] | null;
}

/** ITU-T E.164: a plus, a country code not starting with 0, at most 15 digits in all. */
export const E164 = /^\+[1-9]\d{6,14}$/;

export const isE164 = (phone: string): boolean => E164.test(phone);

/** A client's contact details as a booking carried them (docs/adr/0008). */
export interface BookingContact {
  name?: string;
  email?: string;
  phone?: string;
}

/**
 * How to reach a booking's client: what the booking gave first, the registered contact filling
 * in the rest; the booking's zone and language before the registered ones.
 */
export function clientOfBooking(
  id: string,
  fromBooking: BookingContact | null,
  registered: Contact | null,
  booking: { timeZone: string | null; locale: string | null },
): Contact | null {
  if (!fromBooking) return registered;
  return {
    kind: 'client',
    id,
    name: fromBooking.name ?? registered?.name ?? '',
    email: fromBooking.email ?? registered?.email ?? null,
    phone: fromBooking.phone ?? registered?.phone ?? null,
    locale: booking.locale ?? registered?.locale ?? 'en',
    timeZone: booking.timeZone ?? registered?.timeZone ?? 'UTC',
    reminderOffsetsMinutes: registered?.reminderOffsetsMinutes ?? null,
  };
}
