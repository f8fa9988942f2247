import { type Actor, systemActor } from '@cs/contracts';
import {
  type Clock,
  currentContext,
  type EventStore,
  type ExecutionContext,
  newId,
  runInContext,
  type TraceContext,
  traceContextOf,
  withTransaction,
} from '@cs/eventing';
import { type Pool, type PoolClient } from 'pg';
import {
  type Channel,
  type NotificationKind,
  type RecipientKind,
} from '../../domain/delivery/delivery';
import { announceDue } from './due-signal';
import { type NotificationContent } from './notification-content';

export interface NewNotification {
  /** Unique per intended message: scheduling the same one twice does nothing. */
  dedupeKey: string;
  kind: NotificationKind;
  channel: Channel;
  bookingId: string | null;
  proId: string | null;
  recipient: { kind: RecipientKind; id: string };
  scheduledFor: Date;
  content: NotificationContent;
}

export interface NotificationRow {
  notification_id: string;
  kind: NotificationKind;
  channel: Channel;
  booking_id: string | null;
  pro_id: string | null;
  recipient_kind: RecipientKind;
  recipient_id: string;
  status: string;
  scheduled_for: Date;
  attempts: number;
  content: NotificationContent;
  /** What scheduled it, and the trace it was scheduled in, which its sending continues. */
  cause:
    ({ correlationId: string; causationId: string | null; actor: Actor } & TraceContext) | null;
  created_at: Date;
}

export type CancelReason =
  | 'booking_cancelled'
  | 'booking_rescheduled'
  | 'appointment_started'
  | 'no_address'
  | 'channel_unavailable'
  | 'offer_expired'
  | 'offer_accepted';

/** Why a recipient could not be reached (`notification.recipient_unreachable`). */
export type UnreachableReason = 'no_contact' | 'no_address' | 'erased';

const streamOf = (notificationId: string) => `notification-${notificationId}`;
const open = (row: string) =>
  `${row}.status IN ('scheduled', 'failed') AND ${row}.next_attempt_at IS NOT NULL`;
const OPEN = open('notifications');

/**
 * The delivery queue: the durable schedule of notifications in PostgreSQL (table
 * `notifications`). Every change of a row is recorded as an event in the same transaction;
 * instances claim due rows with `SKIP LOCKED` and a lease, so a row is in one instance's hands at
 * a time and comes back when that instance dies. Its SQL stays hand-written, not TypeORM: the
 * claim is one statement under one lock whose per-recipient order and lease checks no query
 * builder expresses, and the other writes share the consumers' bare pg transaction.
 */
export class DeliveryQueue {
  private store: EventStore | undefined;

  constructor(private readonly clock: Clock) {}

  /** Consumers are defined before Nest builds the store; it is handed over before they start. */
  bind(store: EventStore): this {
    this.store = store;
    return this;
  }

  private get events(): EventStore {
    if (!this.store) throw new Error('DeliveryQueue used before its event store was bound');
    return this.store;
  }

  async schedule(tx: PoolClient, notification: NewNotification): Promise<string | null> {
    const id = newId();
    const context = currentContext() ?? null;
    const { rowCount } = await tx.query(
      `INSERT INTO notifications (notification_id, dedupe_key, kind, channel, booking_id, pro_id,
          recipient_kind, recipient_id, status, scheduled_for, next_attempt_at, content, cause, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'scheduled', $9, $9, $10, $11, $12)
       ON CONFLICT (dedupe_key) DO NOTHING`,
      [
        id,
        notification.dedupeKey,
        notification.kind,
        notification.channel,
        notification.bookingId,
        notification.proId,
        notification.recipient.kind,
        notification.recipient.id,
        notification.scheduledFor,
        JSON.stringify(notification.content),
        context && JSON.stringify({ ...context, ...traceContextOf() }),
        this.clock.now(),
      ],
    );
    if (rowCount === 0) return null;
    if (notification.scheduledFor <= this.clock.now()) await announceDue(tx);
    await this.append(tx, id, 'notification.scheduled', {
      ...refOf({ notification_id: id, ...snake(notification) }),
      scheduledFor: notification.scheduledFor.toISOString(),
    });
    return id;
  }

  /** Withdraws a booking's messages that have not gone out yet. */
  async cancelOpen(
    tx: PoolClient,
    bookingId: string,
    kinds: readonly NotificationKind[],
    reason: CancelReason,
    except: (row: NotificationRow) => boolean = () => false,
  ): Promise<number> {
    const { rows } = await tx.query<NotificationRow>(
      `SELECT * FROM notifications WHERE booking_id = $1 AND kind = ANY($2) AND ${OPEN}
        ORDER BY notification_id FOR UPDATE`,
      [bookingId, kinds],
    );
    const withdrawn = rows.filter((row) => !except(row));
    for (const row of withdrawn) await this.cancelRow(tx, row, reason);
    return withdrawn.length;
  }

  /** Withdraws the messages with these dedupe keys that have not gone out yet. */
  async cancelOpenByKeys(
    tx: PoolClient,
    dedupeKeys: readonly string[],
    reason: CancelReason,
  ): Promise<number> {
    const { rows } = await tx.query<NotificationRow>(
      `SELECT * FROM notifications WHERE dedupe_key = ANY($1) AND ${OPEN}
        ORDER BY notification_id FOR UPDATE`,
      [dedupeKeys],
    );
    for (const row of rows) await this.cancelRow(tx, row, reason);
    return rows.length;
  }

  /**
   * Takes up to `limit` due rows for `owner`, at most one per recipient: the recipient's oldest due
   * row, and only while none of theirs is in flight (claimed, lease not run out). Claims take turns
   * (a transaction advisory lock per schema), so each one sees every earlier claim committed and
   * two instances never hold the same person's mail at once; a claim is a few milliseconds, the
   * sending happens outside it. A row whose lease has run out (its instance died) is due again,
   * and being its recipient's oldest it goes before anything newer of theirs.
   */
  async claimDue(pool: Pool, owner: string, leaseMs: number, limit: number) {
    return withTransaction(pool, async (tx) => {
      await tx.query(
        `SELECT pg_advisory_xact_lock(hashtext('notification-claims:' || current_schema()))`,
      );
      const { rows } = await tx.query<NotificationRow>(
        `UPDATE notifications SET lease_owner = $1,
                lease_until = clock_timestamp() + make_interval(secs => $2::double precision / 1000),
                attempts = attempts + 1
          WHERE notification_id IN (
            SELECT n.notification_id FROM notifications n
             WHERE ${open('n')} AND n.next_attempt_at <= $3
               AND (n.lease_until IS NULL OR n.lease_until < clock_timestamp())
               AND NOT EXISTS (
                 SELECT 1 FROM notifications o
                  WHERE o.recipient_kind = n.recipient_kind AND o.recipient_id = n.recipient_id
                    AND o.notification_id <> n.notification_id AND ${open('o')}
                    AND (o.lease_until >= clock_timestamp()
                         OR (o.next_attempt_at <= $3
                             AND (o.created_at, o.notification_id) < (n.created_at, n.notification_id))))
             ORDER BY n.next_attempt_at
             LIMIT $4
             FOR UPDATE OF n SKIP LOCKED)
          RETURNING *`,
        [owner, leaseMs, this.clock.now(), limit],
      );
      return rows;
    });
  }

  /**
   * Extends the lease just before sending, if the row is still ours: a batch can outlast the lease
   * it was claimed with, and a row another instance has taken since must not be sent twice.
   */
  async renewLease(pool: Pool, row: NotificationRow, owner: string, leaseMs: number) {
    const { rowCount } = await pool.query(
      `UPDATE notifications
          SET lease_until = clock_timestamp() + make_interval(secs => $3::double precision / 1000)
        WHERE notification_id = $1 AND lease_owner = $2 AND ${OPEN}`,
      [row.notification_id, owner, leaseMs],
    );
    return rowCount === 1;
  }

  async recordSent(pool: Pool, row: NotificationRow, owner: string, to: string): Promise<void> {
    await this.finish(pool, row, owner, async (tx) => {
      const sentAt = this.clock.now();
      await tx.query(
        `UPDATE notifications SET status = 'sent', sent_at = $2, to_address = $3, next_attempt_at = NULL,
                last_error = NULL, lease_owner = NULL, lease_until = NULL
          WHERE notification_id = $1`,
        [row.notification_id, sentAt, to],
      );
      await this.append(tx, row.notification_id, 'notification.sent', {
        ...refOf(row),
        sentAt: sentAt.toISOString(),
        attempt: row.attempts,
        recipientKind: row.recipient_kind,
      });
    });
  }

  async recordFailure(
    pool: Pool,
    row: NotificationRow,
    owner: string,
    error: string,
    nextAttemptAt: Date | null,
    unreachable?: UnreachableReason,
  ): Promise<void> {
    await this.finish(pool, row, owner, async (tx) => {
      if (unreachable) await this.recordUnreachable(tx, row, unreachable);
      await tx.query(
        `UPDATE notifications SET status = 'failed', last_error = $2, next_attempt_at = $3,
                lease_owner = NULL, lease_until = NULL
          WHERE notification_id = $1`,
        [row.notification_id, error.slice(0, 2000), nextAttemptAt],
      );
      await this.append(tx, row.notification_id, 'notification.failed', {
        ...refOf(row),
        error: error.slice(0, 2000),
        attempt: row.attempts,
        final: nextAttemptAt === null,
      });
    });
  }

  async recordCancelled(
    pool: Pool,
    row: NotificationRow,
    owner: string,
    reason: CancelReason,
    unreachable?: UnreachableReason,
  ): Promise<void> {
    await this.finish(pool, row, owner, async (tx) => {
      if (unreachable) await this.recordUnreachable(tx, row, unreachable);
      await this.cancelRow(tx, row, reason);
    });
  }

  private recordUnreachable(tx: PoolClient, row: NotificationRow, reason: UnreachableReason) {
    return this.append(tx, row.notification_id, 'notification.recipient_unreachable', {
      ...refOf(row),
      recipientKind: row.recipient_kind,
      recipientId: row.recipient_id,
      reason,
    });
  }

  private async cancelRow(tx: PoolClient, row: NotificationRow, reason: CancelReason) {
    await tx.query(
      `UPDATE notifications SET status = 'cancelled', next_attempt_at = NULL, lease_owner = NULL, lease_until = NULL
        WHERE notification_id = $1`,
      [row.notification_id],
    );
    await this.append(tx, row.notification_id, 'notification.cancelled', {
      ...refOf(row),
      reason,
    });
  }

  /** Records an outcome only while the lease is still ours: a late instance must not overwrite. */
  private async finish(
    pool: Pool,
    row: NotificationRow,
    owner: string,
    work: (tx: PoolClient) => Promise<void>,
  ): Promise<void> {
    await withTransaction(pool, async (tx) => {
      const { rowCount } = await tx.query(
        `SELECT 1 FROM notifications WHERE notification_id = $1 AND lease_owner = $2 FOR UPDATE`,
        [row.notification_id, owner],
      );
      if (rowCount === 0) return;
      const context: ExecutionContext = {
        correlationId: row.cause?.correlationId ?? row.notification_id,
        causationId: row.cause?.causationId ?? null,
        actor: systemActor('notification'),
      };
      await runInContext(context, () => work(tx));
    });
  }

  private async append(tx: PoolClient, notificationId: string, type: string, data: object) {
    const cause = currentContext();
    await this.events.appendWith(tx, streamOf(notificationId), [{ type, data }], {
      expectedVersion: 'any',
      ...(cause ? { context: cause } : {}),
    });
  }
}

function snake(notification: NewNotification) {
  return {
    kind: notification.kind,
    channel: notification.channel,
    booking_id: notification.bookingId,
    pro_id: notification.proId,
  };
}

function refOf(
  row: Pick<NotificationRow, 'notification_id' | 'kind' | 'channel' | 'booking_id' | 'pro_id'>,
) {
  return {
    notificationId: row.notification_id,
    kind: row.kind,
    channel: row.channel,
    bookingId: row.booking_id,
    proId: row.pro_id,
  };
}
