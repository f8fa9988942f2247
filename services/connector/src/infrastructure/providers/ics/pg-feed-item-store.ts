import type { Pool, PoolClient } from 'pg';
import { withTransaction } from '@cs/eventing';
import type { FeedItemStore } from './ics-provider';
import type { FeedItem } from './split-feed';

/** A removed connection's feeds are forgotten in the transaction that removes it. */
export async function forgetFeedsOf(tx: PoolClient, connectionId: string): Promise<void> {
  await tx.query(
    'DELETE FROM feed_items WHERE calendar_id IN (SELECT calendar_id FROM connection_calendars WHERE connection_id = $1)',
    [connectionId],
  );
}

/** The last good copy of each feed, item by item (SQL: a feed is replaced in one batched write). */
export class PgFeedItemStore implements FeedItemStore {
  constructor(private readonly pool: Pool) {}

  replace(calendarId: string, items: FeedItem[]): Promise<void> {
    return withTransaction(this.pool, async (tx) => {
      await tx.query('DELETE FROM feed_items WHERE calendar_id = $1', [calendarId]);
      await tx.query(
        `INSERT INTO feed_items (calendar_id, href, etag, data)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[])`,
        [calendarId, items.map((i) => i.href), items.map((i) => i.etag), items.map((i) => i.data)],
      );
    });
  }

  async load(calendarId: string, hrefs: string[]): Promise<FeedItem[]> {
    const { rows } = await this.pool.query<FeedItem>(
      'SELECT href, etag, data FROM feed_items WHERE calendar_id = $1 AND href = ANY($2)',
      [calendarId, hrefs],
    );
    return rows;
  }
}
