import { describe, expect, it } from '@jest/globals';
import { sameSecret } from './webhook-verification';

describe('sameSecret', () => {
  it('is true only for the very same secret', () => {
    expect(sameSecret('s3cret-token', 's3cret-token')).toBe(true);
    expect(sameSecret('s3cret-tokeN', 's3cret-token')).toBe(false);
    expect(sameSecret('s3cret', 's3cret-token')).toBe(false);
    expect(sameSecret('', 's3cret-token')).toBe(false);
  });

  it('is false when either side is missing', () => {
    expect(sameSecret(undefined, 'x')).toBe(false);
    expect(sameSecret(null, 'x')).toBe(false);
    expect(sameSecret('x', null)).toBe(false);
  });
});
