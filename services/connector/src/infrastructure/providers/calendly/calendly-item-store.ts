import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { FetchedItem, ListedItem } from '../../../domain/provider/calendar-provider';

/**
 * Calendly pushes and has no listing worth polling, so its scheduled events are kept here as
 * VEVENTs, written by the webhook and read by sync through the provider. Shares `feed_items`
 * with the iCalendar feeds, so disconnecting clears it the same way.
 */
export class CalendlyItemStore {
  constructor(private readonly pool: Pool) {}

  async put(tx: PoolClient, calendarId: string, href: string, data: string): Promise<void> {
    await tx.query(
      `INSERT INTO feed_items (calendar_id, href, etag, data) VALUES ($1, $2, $3, $4)
       ON CONFLICT (calendar_id, href) DO UPDATE SET etag = excluded.etag, data = excluded.data`,
      [calendarId, href, createHash('sha256').update(data).digest('hex'), data],
    );
  }

  async drop(tx: PoolClient, calendarId: string, href: string): Promise<void> {
    await tx.query('DELETE FROM feed_items WHERE calendar_id = $1 AND href = $2', [
      calendarId,
      href,
    ]);
  }

  async all(calendarId: string): Promise<ListedItem[]> {
    const { rows } = await this.pool.query<ListedItem>(
      'SELECT href, etag FROM feed_items WHERE calendar_id = $1 ORDER BY href',
      [calendarId],
    );
    return rows;
  }

  async load(calendarId: string, hrefs: string[]): Promise<FetchedItem[]> {
    const { rows } = await this.pool.query<FetchedItem>(
      'SELECT href, etag, data FROM feed_items WHERE calendar_id = $1 AND href = ANY($2)',
      [calendarId, hrefs],
    );
    return rows;
  }
}
