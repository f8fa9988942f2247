import { describe, expect, it } from '@jest/globals';
import { FoldCache } from './fold-cache';

const folded = (version: number) => ({ state: { version }, version });

describe('FoldCache', () => {
  it('keeps the newest committed version of a stream and never goes back', () => {
    const cache = new FoldCache<{ version: number }>();
    cache.remember('s-1', folded(3));
    cache.remember('s-1', folded(2));
    expect(cache.get('s-1')?.version).toBe(3);
    cache.remember('s-1', folded(5));
    expect(cache.get('s-1')?.version).toBe(5);
    expect(cache.get('s-2')).toBeUndefined();
  });

  it('lets the least recently used streams go first', () => {
    const cache = new FoldCache<{ version: number }>(3);
    cache.remember('s-0', folded(1));
    cache.remember('s-1', folded(1));
    cache.remember('s-2', folded(1));
    cache.get('s-0');
    cache.remember('s-3', folded(1));
    expect(cache.get('s-0')).toBeDefined();
    expect(cache.get('s-1')).toBeUndefined();
    expect(cache.get('s-2')).toBeDefined();
  });
});
