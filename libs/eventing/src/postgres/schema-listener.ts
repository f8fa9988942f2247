import type { Pool, PoolClient } from 'pg';

export interface SchemaListenerOptions {
  readonly pool: Pool;
  /** The channel is this plus the connection's current schema, so test schemas never cross. */
  readonly channelPrefix: string;
  readonly onNotification: (payload: string) => void;
  /**
   * Runs once LISTEN is in place on a new connection, before it counts as listening; what it
   * reads is then never older than a notification heard after it. `current` turns false when
   * that connection is lost meanwhile. Throwing counts as losing the connection.
   */
  readonly onListening?: (current: () => boolean) => Promise<void>;
  /** The connection is gone: notifications may be missed until `onListening` runs again. */
  readonly onLost?: () => void;
  readonly onError: (error: Error) => void;
  /** Wait before listening again after a loss. */
  readonly relistenMs?: number;
}

const RELISTEN_MS = 1_000;

/**
 * LISTEN on a PostgreSQL connection of its own, re-established after any loss (a terminated
 * backend, a restart, a network cut): the connection never goes back to the pool, so its
 * listeners die with it.
 */
export class SchemaListener {
  private client: PoolClient | undefined;
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: SchemaListenerOptions) {}

  /** Resolves once the first attempt is over, listening or not (it keeps trying after). */
  start(): Promise<void> {
    this.stopped = false;
    return this.listen();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.drop();
  }

  /** Drops the connection and listens anew, as after a loss (e.g. when what it fed failed). */
  relisten(): void {
    this.lost();
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const { pool, channelPrefix, onNotification, onListening } = this.options;
    let client: PoolClient | undefined;
    const current = () => client !== undefined && this.client === client;
    try {
      client = await pool.connect();
      if (this.stopped) {
        client.release(true);
        return;
      }
      this.client = client;
      // A connection already replaced may still report its end: only the current one counts.
      client.on('error', () => {
        if (current()) this.lost();
      });
      client.on('notification', ({ payload }) => onNotification(payload ?? ''));
      const { rows } = await client.query<{ schema: string }>('SELECT current_schema() AS schema');
      await client.query(`LISTEN ${client.escapeIdentifier(channelPrefix + rows[0]!.schema)}`);
      await onListening?.(current);
    } catch (error) {
      this.options.onError(error as Error);
      if (client === undefined || current()) this.lost();
    }
  }

  private lost(): void {
    this.drop();
    this.options.onLost?.();
    if (this.stopped) return;
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.listen(), this.options.relistenMs ?? RELISTEN_MS);
  }

  private drop(): void {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    client.removeAllListeners('notification');
    client.release(true);
  }
}
