import { UTC, instantOf, parseCalendar } from '@cs/ical';
import { describe, expect, it } from '@jest/globals';
import { bookingUid, invitationIcs } from './invitation-ics';
import { renderMessage } from './message';

const appointment = {
  serviceId: 'wound-care',
  start: Date.parse('2027-07-01T08:00:00Z'),
  end: Date.parse('2027-07-01T08:45:00Z'),
  address: 'Oudegracht 1 <Utrecht>',
  withName: 'Anna',
};

describe('renderMessage', () => {
  it("writes Dutch or English in the reader's zone, and escapes HTML", () => {
    const nl = renderMessage(
      { template: 'reminder', appointment },
      { name: 'Jan', locale: 'nl-BE', timeZone: 'Europe/Amsterdam' },
    );
    expect(nl.subject).toContain('Herinnering');
    expect(nl.text).toContain('10:00');
    expect(nl.text).toContain('donderdag');
    expect(nl.html).toContain('Oudegracht 1 &#60;Utrecht&#62;');
    const en = renderMessage(
      { template: 'reminder', appointment },
      { name: 'Jan', locale: 'en-US', timeZone: 'America/New_York' },
    );
    expect(en.subject).toContain('Reminder');
    expect(en.text).toContain('04:00');
    expect(en.text).toContain('Thursday');
  });

  it('tells a Pro in either language what they changed outside and links to keeping it', () => {
    const reader = { name: 'Anna', timeZone: 'Europe/Amsterdam' };
    const link = 'https://app.example/sync-conflicts/sc-1';
    const en = renderMessage(
      { template: 'changed_outside', appointment, change: 'deleted', link },
      { ...reader, locale: 'en' },
    );
    expect(en.text).toContain('You deleted your appointment with Anna');
    expect(en.text).toContain('10:00');
    expect(en.html).toContain(`href="${link}"`);
    const nl = renderMessage(
      { template: 'changed_outside', appointment, change: 'moved', link },
      { ...reader, locale: 'nl' },
    );
    expect(nl.text).toContain('verplaatst');
    expect(nl.sms).toContain(link);
  });
});

describe('invitationIcs', () => {
  it('writes a REQUEST and a CANCEL that parse back to the same UID and the given SEQUENCE', () => {
    const input = {
      bookingId: 'b-9',
      sequence: 3,
      start: appointment.start,
      end: appointment.end,
      timeZone: 'Europe/Amsterdam',
      summary: 'wound-care – Anna',
      address: null,
      geo: null,
      organizer: { email: 'agenda@example.org', name: 'CareService' },
      attendees: [{ email: 'jan@example.org', name: 'Jan' }],
    };
    for (const method of ['REQUEST', 'CANCEL'] as const) {
      const parsed = parseCalendar(invitationIcs({ ...input, method }, 0));
      expect(parsed.method).toBe(method);
      const event = parsed.events[0]!;
      expect(event.uid).toBe(bookingUid('b-9'));
      expect(event.sequence).toBe(3);
      expect(instantOf(event.start, UTC)).toBe(appointment.start);
      expect(event.status).toBe(method === 'CANCEL' ? 'cancelled' : 'confirmed');
    }
  });
});
