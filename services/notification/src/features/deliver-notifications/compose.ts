import { type Contact } from '../../domain/contacts/contact';
import { type NotificationKind } from '../../domain/delivery/delivery';
import { invitationIcs } from '../../domain/messages/invitation-ics';
import {
  type Appointment,
  type Message,
  type MessageContent,
  renderMessage,
} from '../../domain/messages/message';
import {
  type BookingSnapshot,
  type NotificationContent,
} from '../../infrastructure/delivery-queue/notification-content';

export interface Parties {
  recipient: Contact;
  pro: Contact | null;
  client: Contact | null;
  /** Where the appointment is, opened from the booking (`[erased]` once its client is). */
  address: string | null;
  /** Its coordinates, opened the same way: null without a place or once erased. */
  geo: { lat: number; lng: number } | null;
}

export interface Composed {
  message: Message;
  invitation?: { method: 'REQUEST' | 'CANCEL'; ics: string };
}

export interface ComposeOptions {
  organizer: { email: string; name: string };
  appUrl: string;
  now: number;
}

function appointmentOf(booking: BookingSnapshot, parties: Parties): Appointment {
  const other =
    parties.recipient.kind === 'client'
      ? (parties.pro?.name ?? booking.proId)
      : (parties.client?.name ?? booking.clientId ?? '');
  return {
    serviceId: booking.serviceId,
    start: Date.parse(booking.start),
    end: Date.parse(booking.end),
    address: parties.address,
    withName: other,
  };
}

const waitlistOfferLink = (appUrl: string, offer: { entryId: string; offerId: string }): string =>
  `${appUrl}/waitlist/${encodeURIComponent(offer.entryId)}/offers/${encodeURIComponent(offer.offerId)}`;

function messageContent(
  content: NotificationContent,
  parties: Parties,
  options: ComposeOptions,
): MessageContent {
  switch (content.template) {
    case 'invitation':
    case 'reminder':
      return { template: content.template, appointment: appointmentOf(content.booking, parties) };
    case 'update':
      return {
        template: 'update',
        appointment: appointmentOf(content.booking, parties),
        previousStart: Date.parse(content.previousStart),
        automatic: content.automatic,
      };
    case 'cancellation':
      return {
        template: 'cancellation',
        appointment: appointmentOf(content.booking, parties),
        reason: content.reason,
      };
    case 'reauth_required':
      return {
        template: 'reauth_required',
        connectionId: content.connectionId,
        reason: content.reason,
        link: `${options.appUrl}/connections/${encodeURIComponent(content.connectionId)}/authorize`,
      };
    case 'conflict':
      return {
        template: 'conflict',
        appointment: appointmentOf(content.booking, parties),
        alternatives: content.alternatives,
        link: `${options.appUrl}/bookings/${encodeURIComponent(content.booking.bookingId)}`,
      };
    case 'changed_outside':
      return {
        template: 'changed_outside',
        appointment: appointmentOf(content.booking, parties),
        change: content.change,
        link: `${options.appUrl}/sync-conflicts/${encodeURIComponent(content.conflictId)}`,
      };
    case 'waitlist_offer': {
      const { offer } = content;
      return {
        template: 'waitlist_offer',
        serviceId: offer.serviceId,
        start: Date.parse(offer.start),
        end: Date.parse(offer.end),
        expiresAt: Date.parse(offer.expiresAt),
        link: waitlistOfferLink(options.appUrl, offer),
      };
    }
  }
}

const METHODS: Partial<Record<NotificationKind, 'REQUEST' | 'CANCEL'>> = {
  invitation: 'REQUEST',
  update: 'REQUEST',
  cancellation: 'CANCEL',
};

/** The message in the recipient's language and zone, with the iTIP part for booking changes. */
export function compose(
  kind: NotificationKind,
  content: NotificationContent,
  parties: Parties,
  options: ComposeOptions,
): Composed {
  const { recipient } = parties;
  const message = renderMessage(messageContent(content, parties, options), {
    name: recipient.name,
    locale: recipient.locale,
    timeZone: recipient.timeZone,
  });
  const method = METHODS[kind];
  if (!method || !('booking' in content)) return { message };
  const { booking } = content;
  const attendees = [parties.client, parties.pro]
    .filter((c): c is Contact => c?.email != null)
    .map((c) => ({ email: c.email!, name: c.name }));
  const ics = invitationIcs(
    {
      method,
      bookingId: booking.bookingId,
      sequence: booking.sequence,
      start: Date.parse(booking.start),
      end: Date.parse(booking.end),
      timeZone: recipient.timeZone,
      summary: `${booking.serviceId} – ${appointmentOf(booking, parties).withName}`,
      address: parties.address,
      geo: parties.geo,
      organizer: options.organizer,
      attendees,
    },
    options.now,
  );
  return { message, invitation: { method, ics } };
}
