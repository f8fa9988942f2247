import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import { calendlySignature, verifyCalendlySignature } from './calendly-signature';

const KEY = 'whsec-test-signing-key';
const NOW = Date.parse('2026-12-01T10:00:00Z');
const T = NOW / 1000;
const body = Buffer.from(
  '{"event":"invitee.created","payload":{"uri":"https://api.calendly.com/x"}}',
);
const check = (header: string | undefined, raw = body, now = NOW) =>
  verifyCalendlySignature({ header, rawBody: raw, signingKey: KEY, now, toleranceMs: 180_000 });

describe('Calendly-Webhook-Signature', () => {
  it('accepts the HMAC-SHA256 of "t.body" under the signing key', () => {
    expect(check(`t=${T},v1=${calendlySignature(KEY, T, body)}`)).toBe('ok');
  });

  it('matches an HMAC computed independently over the same bytes', () => {
    const expected = createHmac('sha256', KEY).update(`${T}.${body.toString()}`).digest('hex');
    expect(calendlySignature(KEY, T, body)).toBe(expected);
  });

  it('accepts any of several v1 signatures and ignores unknown schemes', () => {
    const good = calendlySignature(KEY, T, body);
    expect(check(`t=${T},v0=abc,v1=${'0'.repeat(64)},v1=${good}`)).toBe('ok');
  });

  it('refuses another key, another body or another timestamp', () => {
    expect(check(`t=${T},v1=${calendlySignature('other-key', T, body)}`)).toBe('mismatch');
    expect(check(`t=${T},v1=${calendlySignature(KEY, T, body)}`, Buffer.from(`${body} `))).toBe(
      'mismatch',
    );
    expect(check(`t=${T - 1},v1=${calendlySignature(KEY, T, body)}`)).toBe('mismatch');
  });

  it('refuses a signature older or newer than the tolerance, however genuine', () => {
    const old = T - 181;
    expect(check(`t=${old},v1=${calendlySignature(KEY, old, body)}`)).toBe('stale');
    const future = T + 181;
    expect(check(`t=${future},v1=${calendlySignature(KEY, future, body)}`)).toBe('stale');
    const edge = T - 180;
    expect(check(`t=${edge},v1=${calendlySignature(KEY, edge, body)}`)).toBe('ok');
  });

  it('calls a missing or garbled header malformed', () => {
    for (const header of [
      undefined,
      '',
      't=',
      `t=${T}`,
      `v1=${'a'.repeat(64)}`,
      `t=abc,v1=${'a'.repeat(64)}`,
      `t=${T},v1=xyz`,
    ])
      expect(check(header)).toBe('malformed');
  });

  it('never accepts a body it did not sign, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 }), (a, b) => {
        const signed = `t=${T},v1=${calendlySignature(KEY, T, Buffer.from(a))}`;
        const same = Buffer.from(a).equals(Buffer.from(b));
        expect(check(signed, Buffer.from(b)) === 'ok').toBe(same);
      }),
    );
  });
});
