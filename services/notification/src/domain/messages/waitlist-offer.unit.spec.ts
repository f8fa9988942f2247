import { describe, expect, it } from '@jest/globals';
import { renderMessage } from './message';
import { offerStillOpen } from './waitlist-offer';

const offer = {
  template: 'waitlist_offer' as const,
  serviceId: 'wound-care',
  start: Date.parse('2027-07-01T08:00:00Z'),
  end: Date.parse('2027-07-01T08:45:00Z'),
  expiresAt: Date.parse('2027-06-30T18:30:00Z'),
  link: 'https://app.example/waitlist/e-1/offers/o-1?a=1&b=2',
};

describe('waitlist offer message', () => {
  it("offers the slot in Dutch in the reader's zone, with the expiry and the link to accept", () => {
    const nl = renderMessage(offer, { name: 'Jan', locale: 'nl-NL', timeZone: 'Europe/Amsterdam' });
    expect(nl.subject).toContain('plek vrijgekomen');
    expect(nl.text).toContain('Beste Jan,');
    expect(nl.text).toContain('10:00 – 10:45 (Europe/Amsterdam)');
    expect(nl.text).toContain('geldt tot woensdag 30 juni 2027 om 20:30');
    expect(nl.text).toContain(offer.link);
    expect(nl.html).toContain('href="https://app.example/waitlist/e-1/offers/o-1?a=1&#38;b=2"');
    expect(nl.sms).toContain('geldig tot');
    expect(nl.sms).toContain(offer.link);
  });

  it("offers the slot in English in the reader's zone", () => {
    const en = renderMessage(offer, { name: 'Jan', locale: 'en-US', timeZone: 'America/New_York' });
    expect(en.subject).toContain('A slot you waited for is free');
    expect(en.text).toContain('04:00 – 04:45 (America/New_York)');
    expect(en.text).toContain('holds until Wednesday, 30 June 2027 at 14:30');
    expect(en.sms).toContain(offer.link);
  });

  it('is worth sending only until the offer expires', () => {
    expect(offerStillOpen(offer.expiresAt, offer.expiresAt - 1)).toBe(true);
    expect(offerStillOpen(offer.expiresAt, offer.expiresAt)).toBe(false);
    expect(offerStillOpen(offer.expiresAt, offer.expiresAt + 60_000)).toBe(false);
  });
});
