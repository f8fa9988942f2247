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
  location: { lat: number; lng: number; address?: string } | null;
  flexibility: { allowAutoReschedule: boolean; window: { from: string; to: string } | null };
  override: { reason: string } | null;
}
