import { type ERASED, placeOrNone } from '@cs/contracts';

type Erased = typeof ERASED;

/** What the API shows of a booking beyond its events: contact details stay out of the event log. */
export interface BookingDetails {
  client: {
    clientId: string;
    name?: string;
    email?: string;
    phone?: string;
    timeZone?: string;
    locale?: string;
  };
  /** Each field reads `[erased]` once the client is erased. */
  location: { lat: number | Erased; lng: number | Erased; address?: string } | null;
  flexibility: { allowAutoReschedule: boolean; window: { from: string; to: string } | null };
  override: { reason: string } | null;
}

/** The place of a booking's copy in clear, for travel time and calendars: none once erased. */
export const placeIn = (location: BookingDetails['location'] | undefined) =>
  location && typeof location.lat === 'number' && typeof location.lng === 'number'
    ? placeOrNone({ lat: location.lat, lng: location.lng })
    : null;

/** The copy's location as a request gives it, or none once erased. */
export const requestedLocation = (location: BookingDetails['location'] | undefined) => {
  const place = placeIn(location);
  return place && location?.address !== undefined ? { ...place, address: location.address } : place;
};
