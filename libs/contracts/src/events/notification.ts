import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { id, instant } from './common';

const notificationRef = {
  notificationId: id,
  kind: z.enum(['invitation', 'update', 'cancellation', 'reminder', 'alert']),
  channel: z.enum(['email', 'sms']),
  bookingId: id.nullable(),
  proId: id.nullable(),
};

export const notificationScheduled = defineEvent({
  type: 'notification.scheduled',
  context: 'notification',
  schemaVersion: 1,
  schema: z.object({ ...notificationRef, scheduledFor: instant }),
});

export const notificationSent = defineEvent({
  type: 'notification.sent',
  context: 'notification',
  schemaVersion: 1,
  schema: z.object({
    ...notificationRef,
    sentAt: instant,
    attempt: z.number().int().positive(),
    /** Added after v1: who got it, so the booking service knows its client was reached. */
    recipientKind: z.enum(['pro', 'client']).optional(),
  }),
});

export const notificationFailed = defineEvent({
  type: 'notification.failed',
  context: 'notification',
  schemaVersion: 1,
  schema: z.object({
    ...notificationRef,
    error: z.string().max(2000),
    attempt: z.number().int().positive(),
    final: z.boolean(),
  }),
});

/** A notification that will not be sent: its booking changed, its moment passed, or it has nowhere to go. */
export const notificationCancelled = defineEvent({
  type: 'notification.cancelled',
  context: 'notification',
  schemaVersion: 1,
  schema: z.object({
    ...notificationRef,
    reason: z.enum([
      'booking_cancelled',
      'booking_rescheduled',
      'appointment_started',
      'no_address',
      'channel_unavailable',
      'offer_expired',
      'offer_accepted',
    ]),
  }),
});

/**
 * A notification found no way to reach its recipient: neither the booking nor a registered
 * contact gives an address for its channel, or the person was erased. Recorded at the first
 * attempt; the notification itself is retried while a registered contact may still appear.
 */
export const notificationRecipientUnreachable = defineEvent({
  type: 'notification.recipient_unreachable',
  context: 'notification',
  schemaVersion: 1,
  schema: z.object({
    ...notificationRef,
    recipientKind: z.enum(['pro', 'client']),
    recipientId: id,
    reason: z.enum(['no_contact', 'no_address', 'erased']),
  }),
});

export const notificationEvents = [
  notificationScheduled,
  notificationSent,
  notificationFailed,
  notificationCancelled,
  notificationRecipientUnreachable,
];
