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
