import { parseCalendar } from '@cs/ical';
import { describe, expect, it } from '@jest/globals';
import { calendlyWebhookSchema, inviteeChangeOf, scheduledEventToIcs } from './calendly-webhook';

const scheduled = (status: 'active' | 'canceled', active?: number) => ({
  uri: 'https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2',
  ...(active === undefined ? {} : { invitees_counter: { total: 3, active, limit: 3 } }),
  name: '45 Minute Visit',
  status,
  start_time: '2026-12-07T10:00:00.000000Z',
  end_time: '2026-12-07T10:45:00.000000Z',
});
const delivery = (event: string, status: 'active' | 'canceled', active?: number) =>
  calendlyWebhookSchema.parse({
    event,
    created_at: '2026-12-01T08:00:00.000000Z',
    created_by: 'https://api.calendly.com/users/AAAAAAAAAAAAAAAA',
    payload: {
      uri: 'https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2/invitees/BBBBBBBBBBBBBBBB',
      scheduled_event: scheduled(status, active),
      questions_and_answers: [],
    },
  });

describe('Calendly deliveries as busy time', () => {
  it('makes a booked event busy, as a VEVENT with its times and the event URI as UID', () => {
    const change = inviteeChangeOf(delivery('invitee.created', 'active'));
    expect(change).toMatchObject({ kind: 'busy' });
    if (change.kind !== 'busy') return;
    const [event] = parseCalendar(scheduledEventToIcs(change.event, '2026-12-01T08:00:00Z')).events;
    expect(event).toMatchObject({
      uid: 'https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2',
      summary: '45 Minute Visit',
      transparent: false,
    });
    expect(event!.duration).toEqual({ days: 0, ms: 45 * 60_000 });
  });

  it('frees a cancelled event, but keeps a group event others still attend', () => {
    expect(inviteeChangeOf(delivery('invitee.canceled', 'canceled')).kind).toBe('freed');
    expect(inviteeChangeOf(delivery('invitee.canceled', 'active')).kind).toBe('busy');
    expect(inviteeChangeOf(delivery('invitee.canceled', 'active', 2)).kind).toBe('busy');
  });

  it('frees a group event once its last invitee cancelled, though Calendly keeps it active', () => {
    expect(inviteeChangeOf(delivery('invitee.canceled', 'active', 0)).kind).toBe('freed');
  });

  it('ignores other events', () => {
    expect(inviteeChangeOf(delivery('invitee_no_show.created', 'active')).kind).toBe('ignored');
  });
});
