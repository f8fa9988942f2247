import { type ContactDetails, type Personal } from '@cs/contracts';

type Point = { lat: number; lng: number };

/** Where the appointment is, as booking events since v3 carry it: all of it sealed. */
interface RecordedLocation {
  point: Personal<Point>;
  address: Personal<string> | null;
}

/** As rows stored before the coordinates were sealed hold it. */
interface EarlierLocation extends Point {
  address: Personal<string> | string | null;
}

/** The snapshot's place in one shape, still sealed where it was: for opening just before sending. */
export const sealedPlaceOf = (
  location: BookingSnapshot['location'] | undefined,
): { point: Personal<Point> | null; address: Personal<string> | null } => {
  if (!location) return { point: null, address: null };
  if ('point' in location) return location;
  const { lat, lng, address } = location;
  return {
    point: { clear: { lat, lng } },
    address: typeof address === 'string' ? { clear: address } : address,
  };
};

/**
 * What this service knew of a booking when it scheduled a message about it. Personal data stays
 * sealed as the event carried it and is opened only to send (docs/adr/0008); an address in clear
 * is a row stored before sealing.
 */
export interface BookingSnapshot {
  bookingId: string;
  proId: string;
  clientId: string | null;
  clientTimeZone: string | null;
  clientLocale: string | null;
  serviceId: string;
  start: string;
  end: string;
  location: RecordedLocation | EarlierLocation | null;
  /** How the booking said to reach its client; registered contacts are the fallback. */
  clientContact?: Personal<ContactDetails>;
  sequence: number;
}

/** A freed slot offered to a waiting client, as the booking service announced it. */
export interface WaitlistOfferSnapshot {
  entryId: string;
  offerId: string;
  proId: string;
  serviceId: string;
  start: string;
  end: string;
  expiresAt: string;
}

/** The stored content of a notification; rendered for its recipient only when it is sent. */
export type NotificationContent =
  | { template: 'invitation'; booking: BookingSnapshot }
  | { template: 'update'; booking: BookingSnapshot; previousStart: string; automatic: boolean }
  | { template: 'cancellation'; booking: BookingSnapshot; reason: string }
  | { template: 'reminder'; booking: BookingSnapshot; offsetMinutes: number }
  | { template: 'reauth_required'; connectionId: string; reason: string }
  | { template: 'conflict'; booking: BookingSnapshot; alternatives: number }
  | {
      template: 'changed_outside';
      booking: BookingSnapshot;
      conflictId: string;
      change: 'moved' | 'deleted';
    }
  | { template: 'waitlist_offer'; offer: WaitlistOfferSnapshot };
