import { describe, expect, it } from '@jest/globals';
import { isE164 } from './contact';

describe('isE164', () => {
  it('accepts international numbers with a plus and refuses the rest', () => {
    expect(isE164('+31612345678')).toBe(true);
    expect(isE164('+14155552671')).toBe(true);
    for (const bad of ['0612345678', '+0612345678', '+31 6 12345678', '+3161234567890123', '+31'])
      expect(isE164(bad)).toBe(false);
  });
});
