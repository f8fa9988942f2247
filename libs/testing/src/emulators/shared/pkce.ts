import { createHash } from 'node:crypto';

/** RFC 7636 §4.6: does the verifier answer the challenge made at authorization? */
export function pkceMatches(
  challenge: string,
  method: string | null,
  verifier: string | null,
): boolean {
  if (verifier === null) return false;
  if (method === null || method === 'plain') return challenge === verifier;
  return (
    method === 'S256' && createHash('sha256').update(verifier).digest('base64url') === challenge
  );
}
