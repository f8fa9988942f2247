import type { JetStreamClient } from '@nats-io/jetstream';
import type { Pool, PoolClient } from 'pg';
import { backoffDelay, sleep } from '../backoff';
import { OUTBOX_CHANNEL } from '../event-store/event-store';
import { errorDetails, type Log, silentLog } from '../log';
import { inProducerSpan } from '../tracing/producer-span';
import { traceHeaders } from '../tracing/trace-headers';
import { Wakeup } from '../wakeup';
import { publishInOrder } from './publish-in-order';

export interface OutboxRelayOptions {
  /** Names the leader lock: one relay per schema publishes, the others stand by. */
  lockName: string;
  batchSize?: number;
  pollIntervalMs?: number;
  publishTimeoutMs?: number;
  log?: Log;
}

interface OutboxRow {
  position: string;
  event_id: string;
  stream_id: string;
  subject: string;
  payload: string;
  type: string;
  traceparent: string | null;
  tracestate: string | null;
}

/**
 * Publishes committed outbox rows to JetStream with `Nats-Msg-Id` = event id, then deletes them.
 * A crash after publishing and before deleting republishes, and JetStream drops the duplicate
 * within its duplicate window; rows of transactions still in flight are left for the next pass.
 * Per aggregate stream, a row goes out only once JetStream has stored the one before it, so the
 * bus holds each aggregate's events in version order.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly publishTimeoutMs: number;
  private readonly log: Log;
  private abort = new AbortController();
  private running: Promise<void> | undefined;
  private readonly wakeup = new Wakeup();
  private published = 0;

  constructor(
    private readonly pool: Pool,
    private readonly js: JetStreamClient,
    private readonly options: OutboxRelayOptions,
  ) {
    this.batchSize = options.batchSize ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.publishTimeoutMs = options.publishTimeoutMs ?? 5000;
    this.log = options.log ?? silentLog;
  }

  get publishedCount(): number {
    return this.published;
  }

  start(): void {
    if (this.running) return;
    this.abort = new AbortController();
    this.running = this.run(this.abort.signal);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.wakeup.ring();
    await this.running;
    this.running = undefined;
  }

  /** One pass over what is committed now; returns how many events it published. */
  async publishPending(): Promise<number> {
    let total = 0;
    for (;;) {
      const { rows } = await this.pool.query<OutboxRow>(
        `SELECT position, event_id, payload::jsonb ->> 'streamId' AS stream_id, subject, payload,
                payload::jsonb ->> 'type' AS type, payload::jsonb ->> 'traceparent' AS traceparent,
                payload::jsonb ->> 'tracestate' AS tracestate FROM outbox
          WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
          ORDER BY position LIMIT $1`,
        [this.batchSize],
      );
      if (rows.length === 0) return total;
      const results = await Promise.allSettled(publishInOrder(rows, (row) => this.publish(row)));
      const done = rows
        .filter((_, i) => results[i]!.status === 'fulfilled')
        .map((row) => row.position);
      if (done.length > 0)
        await this.pool.query('DELETE FROM outbox WHERE position = ANY($1::bigint[])', [done]);
      total += done.length;
      this.published += done.length;
      const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      // The next pass starts again at the first row not acknowledged.
      if (failure) throw failure.reason;
    }
  }

  /** Carries the trace context stored with the event in the message headers (W3C names). */
  private async publish(row: OutboxRow): Promise<void> {
    const trace = {
      ...(row.traceparent ? { traceparent: row.traceparent } : {}),
      ...(row.tracestate ? { tracestate: row.tracestate } : {}),
    };
    const outgoing = { eventId: row.event_id, type: row.type, subject: row.subject, trace };
    await inProducerSpan(outgoing, (carried) =>
      this.js.publish(row.subject, row.payload, {
        msgID: row.event_id,
        timeout: this.publishTimeoutMs,
        headers: traceHeaders(carried),
      }),
    );
  }

  async depth(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM outbox');
    return Number(rows[0]!.n);
  }

  private async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let leader: PoolClient | undefined;
      try {
        leader = await this.pool.connect();
        if (!(await this.tryLead(leader))) {
          leader.release();
          leader = undefined;
          await sleep(this.pollIntervalMs, signal);
          continue;
        }
        // Only the leader watches its connection; a standby hands its client straight back.
        const lost = new Promise<void>((resolve) => leader!.once('error', () => resolve()));
        await leader.query(`LISTEN ${OUTBOX_CHANNEL}`);
        leader.on('notification', () => this.wakeup.ring());
        failures = 0;
        await this.lead(signal, lost);
      } catch (error) {
        failures++;
        this.log(failures === 1 ? 'warn' : 'error', 'outbox relay paused', {
          ...errorDetails(error),
          failures,
        });
        await sleep(backoffDelay(failures, 200, 5_000), signal);
      } finally {
        leader?.removeAllListeners('notification');
        // A lost connection takes its advisory lock with it; a healthy one gives it back.
        leader?.release(true);
      }
    }
  }

  private async tryLead(client: PoolClient): Promise<boolean> {
    const { rows } = await client.query<{ ok: boolean }>(
      'SELECT pg_try_advisory_lock(hashtext($1)) AS ok',
      [`outbox-relay:${this.options.lockName}`],
    );
    return rows[0]!.ok;
  }

  private async lead(signal: AbortSignal, lost: Promise<void>): Promise<void> {
    let connectionLost = false;
    void lost.then(() => {
      connectionLost = true;
      this.wakeup.ring();
    });
    while (!signal.aborted && !connectionLost) {
      await this.publishPending();
      await this.wakeup.wait(this.pollIntervalMs);
    }
    if (connectionLost) throw new Error('outbox relay lost its database connection');
  }
}
