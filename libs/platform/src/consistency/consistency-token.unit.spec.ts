import { contexts } from '@cs/contracts';
import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import {
  MAX_TOKEN_POSITIONS,
  decodeConsistencyToken,
  encodeConsistencyToken,
} from './consistency-token';

const position = fc.record({
  context: fc.constantFrom(...contexts),
  streamId: fc.string({ minLength: 1, maxLength: 40 }),
  version: fc.integer({ min: 1, max: 1_000_000 }),
});

describe('consistency tokens', () => {
  it('decode to the highest version written per stream', () => {
    fc.assert(
      fc.property(fc.array(position, { maxLength: 20 }), (positions) => {
        const decoded = decodeConsistencyToken(encodeConsistencyToken(positions)!);
        for (const p of positions) {
          const found = decoded!.find((d) => d.context === p.context && d.streamId === p.streamId);
          expect(found!.version).toBeGreaterThanOrEqual(p.version);
        }
        expect(decoded).toHaveLength(
          new Set(positions.map((p) => `${p.context} ${p.streamId}`)).size,
        );
      }),
    );
  });

  it('are not made for more streams than a header should carry', () => {
    const many = Array.from({ length: MAX_TOKEN_POSITIONS + 1 }, (_, i) => ({
      context: 'availability' as const,
      streamId: `pro-${i}`,
      version: 1,
    }));
    expect(encodeConsistencyToken(many)).toBeUndefined();
  });

  it('refuse anything that is not one', () => {
    const b64 = (json: string) => Buffer.from(json).toString('base64url');
    for (const token of [
      '',
      'not a token',
      b64('{"a":1}'),
      b64('[["elsewhere","s",1]]'),
      b64('[["booking","",1]]'),
      b64('[["booking","s",0]]'),
      b64('[["booking","s",1.5]]'),
      b64('[["booking","s"]]'),
      b64('not json'),
    ])
      expect(decodeConsistencyToken(token)).toBeUndefined();
  });
});
