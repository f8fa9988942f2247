import { randomBytes } from 'node:crypto';

export const randomToken = (bytes = 24) => randomBytes(bytes).toString('base64url');

/** base32hex (RFC 2938 §3.1.2): what Google allows in event ids and generates itself. */
export function base32hexId(bytes = 16): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuv';
  return [...randomBytes(bytes)].map((b) => alphabet[b % 32]).join('');
}
