import { describe, expect, it } from '@jest/globals';
import { ProviderError } from '../../domain/provider/provider-error';
import { allPages, listFromCursor } from './provider-listing';

class HttpFailure extends Error {
  constructor(readonly status: number) {
    super(`status ${status}`);
  }
}
const errors = {
  statusOf: (error: unknown) => (error instanceof HttpFailure ? error.status : undefined),
  failed: (error: unknown) => new ProviderError('transient', `failed: ${(error as Error).message}`),
};

describe('allPages', () => {
  it('follows each page’s pointer, empty pages too, until one points nowhere', async () => {
    const pages: Record<string, { items: number[]; next?: string | null }> = {
      first: { items: [1, 2], next: 'b' },
      b: { items: [], next: 'c' },
      c: { items: [3], next: null },
    };
    const asked: Array<string | undefined> = [];
    const items = await allPages(async (next) => {
      asked.push(next);
      return pages[next ?? 'first']!;
    });
    expect(items).toEqual([1, 2, 3]);
    expect(asked).toEqual([undefined, 'b', 'c']);
  });
});

describe('listFromCursor', () => {
  it('starts over with a full listing when the cursor has expired (410)', async () => {
    const asked: Array<string | null> = [];
    const listing = await listFromCursor(
      'old-cursor',
      async (cursor) => {
        asked.push(cursor);
        if (cursor !== null) throw new HttpFailure(410);
        return 'full listing';
      },
      errors,
    );
    expect(listing).toBe('full listing');
    expect(asked).toEqual(['old-cursor', null]);
  });

  it('gives any other failure, of either try, as the provider’s error', async () => {
    const fails = (status: number) => async () => {
      throw new HttpFailure(status);
    };
    await expect(listFromCursor('cursor', fails(500), errors)).rejects.toThrow(
      'failed: status 500',
    );
    await expect(listFromCursor(null, fails(410), errors)).rejects.toThrow('failed: status 410');
    await expect(
      listFromCursor(
        'cursor',
        async (cursor) => {
          throw new HttpFailure(cursor === null ? 429 : 410);
        },
        errors,
      ),
    ).rejects.toThrow('failed: status 429');
  });
});
