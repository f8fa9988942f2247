import ICAL from 'ical.js';
import { z } from 'zod';

const instant = z.string().datetime({ offset: true });

const scheduledEvent = z.object({
  uri: z.string().url().max(500),
  name: z.string().max(500).nullable().optional(),
  status: z.enum(['active', 'canceled']),
  start_time: instant,
  end_time: instant,
  /** Invitees booked and still coming (scheduled event resource, `invitees_counter`). */
  invitees_counter: z
    .object({ active: z.number().int().min(0) })
    .passthrough()
    .optional(),
});

/**
 * The part of a webhook delivery we read (as `GET /sample_webhook_data` shows it,
 * https://developer.calendly.com/api-docs/calendly-api/webhooks/get-sample-webhook-data): who
 * created the subscription, the invitee, and the scheduled event with its times and status.
 * Other events (routing forms, event types) parse too and are ignored.
 */
export const calendlyWebhookSchema = z.object({
  event: z.string().min(1).max(100),
  created_at: instant,
  created_by: z.string().url().max(500),
  payload: z
    .object({ uri: z.string().url().max(500), scheduled_event: scheduledEvent.optional() })
    .passthrough(),
});

export type CalendlyWebhook = z.infer<typeof calendlyWebhookSchema>;
export type ScheduledEvent = z.infer<typeof scheduledEvent>;

export type InviteeChange =
  | { kind: 'busy'; invitee: string; event: ScheduledEvent }
  | { kind: 'freed'; invitee: string; event: ScheduledEvent }
  | { kind: 'ignored' };

/**
 * What a delivery means for busy time: a booking makes its scheduled event busy; a cancellation
 * frees it when the event itself is cancelled or no invitee is left coming (a group event
 * stays busy while others attend).
 * A reschedule arrives as a cancellation of the old event and a booking of the new one
 * (https://developer.calendly.com/docs/api-guides/see-how-webhook-payloads-change-when-invitees-reschedule-events).
 */
export function inviteeChangeOf(webhook: CalendlyWebhook): InviteeChange {
  const event = webhook.payload.scheduled_event;
  if (!event) return { kind: 'ignored' };
  const invitee = webhook.payload.uri;
  switch (webhook.event) {
    case 'invitee.created':
      return { kind: 'busy', invitee, event };
    case 'invitee.canceled':
      return event.status === 'canceled' || event.invitees_counter?.active === 0
        ? { kind: 'freed', invitee, event }
        : { kind: 'busy', invitee, event };
    default:
      return { kind: 'ignored' };
  }
}

/** A scheduled event as a small VEVENT, so sync reads Calendly as it reads every provider. */
export function scheduledEventToIcs(event: ScheduledEvent, stamp: string): string {
  const calendar = new ICAL.Component('vcalendar');
  calendar.addPropertyWithValue('prodid', '-//CareService//Calendly//EN');
  calendar.addPropertyWithValue('version', '2.0');
  const vevent = new ICAL.Component('vevent');
  vevent.addPropertyWithValue('uid', event.uri);
  vevent.addPropertyWithValue('dtstamp', ICAL.Time.fromJSDate(new Date(stamp), true));
  vevent.addPropertyWithValue('dtstart', ICAL.Time.fromJSDate(new Date(event.start_time), true));
  vevent.addPropertyWithValue('dtend', ICAL.Time.fromJSDate(new Date(event.end_time), true));
  if (event.name) vevent.addPropertyWithValue('summary', event.name);
  vevent.addPropertyWithValue('status', 'CONFIRMED');
  vevent.addPropertyWithValue('transp', 'OPAQUE');
  calendar.addSubcomponent(vevent);
  return calendar.toString() + '\r\n';
}
