import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck = 'ok' | 'malformed' | 'stale' | 'mismatch';

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/** `t=<unix seconds>,v1=<hex>`; several `v1` may come while Calendly rotates a key. */
function parseHeader(header: string): { timestamp: number; signatures: string[] } | null {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    const name = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (name === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (name === 'v1' && HEX_SHA256.test(value)) signatures.push(value.toLowerCase());
  }
  return timestamp === null || signatures.length === 0 ? null : { timestamp, signatures };
}

/** HMAC-SHA256 (hex) of `t.body` under the subscription's signing key. */
export function calendlySignature(signingKey: string, timestamp: number, rawBody: Buffer): string {
  return createHmac('sha256', signingKey).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/**
 * Checks `Calendly-Webhook-Signature` as Calendly documents it
 * (https://developer.calendly.com/api-docs/overview/webhooks/webhook-signatures): the HMAC over
 * the timestamp, a dot and the exact bytes received, compared in constant time, and a timestamp
 * within the tolerance either way, so a captured request cannot be replayed later.
 */
export function verifyCalendlySignature(input: {
  header: string | undefined;
  rawBody: Buffer;
  signingKey: string;
  now: number;
  toleranceMs: number;
}): SignatureCheck {
  const parsed = input.header ? parseHeader(input.header) : null;
  if (!parsed) return 'malformed';
  if (Math.abs(input.now - parsed.timestamp * 1000) > input.toleranceMs) return 'stale';
  const expected = Buffer.from(
    calendlySignature(input.signingKey, parsed.timestamp, input.rawBody),
    'hex',
  );
  const matches = parsed.signatures.some((s) => timingSafeEqual(expected, Buffer.from(s, 'hex')));
  return matches ? 'ok' : 'mismatch';
}
