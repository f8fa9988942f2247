import { type Pool, type PoolClient } from 'pg';

const CHANNEL_PREFIX = 'notification_due:';

/** Tells listeners on this schema that a notification is due now; delivered when `tx` commits. */
export async function announceDue(tx: PoolClient): Promise<void> {
  await tx.query(`SELECT pg_notify($1 || current_schema(), '')`, [CHANNEL_PREFIX]);
}

/**
 * Wakes the dispatcher through PostgreSQL LISTEN/NOTIFY when a notification falls due now, on a
 * connection of its own. Polling stays the safety net: for future-dated rows, expired leases,
 * and while this connection is down.
 */
export class DueSignal {
  /** Ends the listening connection; set while there is one. */
  private drop: (() => void) | undefined;
  private rung = false;
  private wake: (() => void) | undefined;

  constructor(private readonly pool: Pool) {}

  /** Listens if it is not already; after a lost connection the next call listens again. */
  async listen(): Promise<void> {
    if (this.drop) return;
    const client = await this.pool.connect();
    let released = false;
    const drop = () => {
      if (released) return;
      released = true;
      if (this.drop === drop) this.drop = undefined;
      client.removeAllListeners('notification');
      client.release(true);
    };
    // Listeners go on this client once: it is never handed back to the pool, only destroyed.
    client.on('error', drop);
    client.on('notification', () => this.ring());
    try {
      const { rows } = await client.query<{ schema: string }>('SELECT current_schema() AS schema');
      await client.query(`LISTEN ${client.escapeIdentifier(CHANNEL_PREFIX + rows[0]!.schema)}`);
    } catch (error) {
      drop();
      throw error;
    }
    this.drop = drop;
  }

  ring(): void {
    this.rung = true;
    this.wake?.();
  }

  /** Waits `ms`, or less if a notification fell due (also one that did while nobody waited). */
  wait(ms: number, stop: AbortSignal): Promise<void> {
    if (this.rung || stop.aborted) {
      this.rung = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        stop.removeEventListener('abort', done);
        this.wake = undefined;
        this.rung = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      stop.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }

  close(): void {
    this.drop?.();
  }
}
