import { type Context, contexts } from '@cs/contracts';
import { z } from 'zod';

/** The position of one aggregate stream's write: its context, stream and version. */
export interface WrittenPosition {
  readonly context: Context;
  readonly streamId: string;
  readonly version: number;
}

/** Sent with every command answer that wrote; a reader given it waits until it shows those writes. */
export const CONSISTENCY_TOKEN_HEADER = 'Consistency-Token';
export const IF_CONSISTENT_WITH_HEADER = 'If-Consistent-With';
export const CONSISTENT_WITH_PARAMETER = 'consistentWith';

/** Beyond this a token would outgrow what proxies accept in a header; bulk answers carry one per item. */
export const MAX_TOKEN_POSITIONS = 64;

const entry = z.tuple([
  z.enum(contexts),
  z.string().min(1).max(200),
  z.number().int().positive().max(2_147_483_647),
]);
const entries = z.array(entry).max(MAX_TOKEN_POSITIONS);

/**
 * base64url of the JSON `[[context, streamId, version], …]`, one entry per stream (its highest
 * version); undefined when more streams than a token may name.
 */
export function encodeConsistencyToken(positions: Iterable<WrittenPosition>): string | undefined {
  const highest = new Map<string, WrittenPosition>();
  for (const p of positions) {
    const key = `${p.context}\u0000${p.streamId}`;
    if ((highest.get(key)?.version ?? 0) < p.version) highest.set(key, p);
  }
  if (highest.size > MAX_TOKEN_POSITIONS) return undefined;
  const json = JSON.stringify([...highest.values()].map((p) => [p.context, p.streamId, p.version]));
  return Buffer.from(json, 'utf8').toString('base64url');
}

/** The positions a token names, or undefined when it is not one of ours. */
export function decodeConsistencyToken(token: string): WrittenPosition[] | undefined {
  if (token.length === 0 || token.length > 16_384 || !/^[A-Za-z0-9_-]+$/.test(token))
    return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = entries.safeParse(json);
  if (!parsed.success) return undefined;
  return parsed.data.map(([context, streamId, version]) => ({ context, streamId, version }));
}
