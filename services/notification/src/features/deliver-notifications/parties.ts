import { type ContactDetails, ERASED, placeOrNone } from '@cs/contracts';
import { type PersonalData } from '@cs/eventing';
import { type Pool } from 'pg';
import { clientOfBooking, type Contact } from '../../domain/contacts/contact';
import { type Contacts } from '../../infrastructure/contacts/contacts';
import { type NotificationRow } from '../../infrastructure/delivery-queue/delivery-queue';
import { sealedPlaceOf } from '../../infrastructure/delivery-queue/notification-content';
import { type Parties } from './compose';

export interface MessageParties extends Omit<Parties, 'recipient'> {
  recipient: Contact | null;
  /** The booking's contact details for its client were erased. */
  clientErased: boolean;
}

/**
 * Who a message goes to and is about, the booking's personal data opened just for sending:
 * its client as the booking gave them (registered contacts filling in), the Pro, and the address.
 */
export async function partiesOf(
  pool: Pool,
  personal: PersonalData,
  contacts: Contacts,
  row: NotificationRow,
): Promise<MessageParties> {
  const booking = 'booking' in row.content ? row.content.booking : null;
  const place = sealedPlaceOf(booking?.location);
  const opened = await personal.reveal(pool, {
    ...place,
    contact: booking?.clientContact ?? null,
  });
  const fromBooking =
    typeof opened.contact === 'object' ? (opened.contact as ContactDetails | null) : null;
  const partyOfBooking =
    booking !== null &&
    row.recipient_id === (row.recipient_kind === 'client' ? booking.clientId : booking.proId);
  const [pro, registeredClient, registeredRecipient] = await Promise.all([
    booking ? contacts.find('pro', booking.proId) : null,
    booking?.clientId ? contacts.find('client', booking.clientId) : null,
    partyOfBooking ? null : contacts.find(row.recipient_kind, row.recipient_id),
  ]);
  const client = booking?.clientId
    ? clientOfBooking(booking.clientId, fromBooking, registeredClient, {
        timeZone: booking.clientTimeZone,
        locale: booking.clientLocale,
      })
    : null;
  const ofBooking = row.recipient_kind === 'client' ? client : pro;
  return {
    recipient: partyOfBooking ? ofBooking : registeredRecipient,
    pro,
    client,
    address: typeof opened.address === 'string' ? opened.address : null,
    geo: placeOrNone(opened.point),
    clientErased: opened.contact === ERASED,
  };
}
