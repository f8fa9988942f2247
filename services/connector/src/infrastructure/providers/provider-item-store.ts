import type { Pool } from 'pg';
import { withTransaction } from '@cs/eventing';
import type { FetchedItem, Listing } from '../../domain/provider/calendar-provider';

/** One listing as an API provider answered it, each item already as a VEVENT. */
export interface ListingRound {
  kind: 'full' | 'delta';
  items: FetchedItem[];
  removed: string[];
  cursor: string | null;
}

/**
 * The events of an API provider's last listing (Google, Microsoft) as VEVENTs, so `fetch`
 * answers from what `list` already read instead of one request per item. Shares `feed_items`
 * with the iCalendar feeds.
 */
export class ProviderItemStore {
  constructor(private readonly pool: Pool) {}

  /**
   * Keeps the round's items and answers it as sync sees a listing: without the text, and a
   * full round without removals (what it does not list is gone).
   */
  async keep(calendarId: string, round: ListingRound): Promise<Listing> {
    await this.save(calendarId, round);
    return {
      kind: round.kind,
      items: round.items.map(({ href, etag }) => ({ href, etag })),
      removed: round.kind === 'full' ? [] : round.removed,
      cursor: round.cursor,
    };
  }

  /**
   * The items kept for these hrefs; those not kept are read from the provider by `readMissing`,
   * which answers null for an item gone there.
   */
  async fetch(
    calendarId: string,
    hrefs: string[],
    readMissing: (hrefs: string[]) => Promise<Array<FetchedItem | null>>,
  ): Promise<FetchedItem[]> {
    const kept = await this.load(calendarId, hrefs);
    const missing = hrefs.filter((href) => !kept.some((k) => k.href === href));
    if (missing.length === 0) return kept;
    const read = await readMissing(missing);
    return [...kept, ...read.filter((item): item is FetchedItem => item !== null)];
  }

  /** `full`: these are all the calendar's items; `delta`: changes on top of what is kept. */
  private save(calendarId: string, { kind, items, removed }: ListingRound): Promise<void> {
    return withTransaction(this.pool, async (tx) => {
      if (kind === 'full')
        await tx.query('DELETE FROM feed_items WHERE calendar_id = $1', [calendarId]);
      else
        await tx.query('DELETE FROM feed_items WHERE calendar_id = $1 AND href = ANY($2)', [
          calendarId,
          removed,
        ]);
      await tx.query(
        `INSERT INTO feed_items (calendar_id, href, etag, data)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[])
         ON CONFLICT (calendar_id, href) DO UPDATE SET etag = excluded.etag, data = excluded.data`,
        [
          calendarId,
          items.map((i) => i.href),
          items.map((i) => i.etag ?? ''),
          items.map((i) => i.data),
        ],
      );
    });
  }

  private async load(calendarId: string, hrefs: string[]): Promise<FetchedItem[]> {
    const { rows } = await this.pool.query<FetchedItem>(
      'SELECT href, etag, data FROM feed_items WHERE calendar_id = $1 AND href = ANY($2)',
      [calendarId, hrefs],
    );
    return rows;
  }
}
