import { Inject, Injectable, Logger } from '@nestjs/common';
import { systemActor } from '@cs/contracts';
import {
  CLOCK,
  type Clock,
  type AppendOptions,
  continueTrace,
  EventStore,
  PG_POOL,
  type TraceContext,
  withTransaction,
} from '@cs/eventing';
import { Pool, type PoolClient } from 'pg';
import { bookingIcs } from '../../domain/outbound/booking-event';
import {
  type Connector,
  CONNECTOR_CLIENT,
  SyncProviderError,
} from '../../infrastructure/connector-client';
import { SyncDeferred } from '../../infrastructure/limits/limited-connector';
import { mirrorStreamId } from '../../infrastructure/streams';
import { SYNC_CONFIG, type SyncConfig } from '../../infrastructure/sync-config';

interface BookingRow {
  bookingId: string;
  proId: string;
  uid: string;
  serviceId: string;
  start: Date;
  end: Date;
  timeZone: string;
  sequence: number;
  active: boolean;
  calendarId: string | null;
  connectionId: string | null;
  href: string | null;
  etag: string | null;
}

interface Claim {
  bookingId: string;
  attempts: number;
  restore: boolean;
  generation: number;
  cause: ({ correlationId: string; causationId: string | null } & TraceContext) | null;
}

/** The mirror event is caused by the booking event the write carries out, when there is one. */
const appendOptions = (claim: Claim): AppendOptions => ({
  expectedVersion: 'any',
  ...(claim.cause
    ? {
        context: {
          correlationId: claim.cause.correlationId,
          causationId: claim.cause.causationId,
          actor: systemActor('sync'),
        },
      }
    : {}),
});

/**
 * Writes queued bookings into the Pro's write-target calendar: create with `If-None-Match: *`,
 * update and delete with the ETag last seen. The copy's status is stored with the ETag the
 * provider returned, so the inbound side sees its own write as unchanged.
 */
@Injectable()
export class BookingWriter {
  private readonly logger = new Logger('BookingWriter');

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly store: EventStore,
    @Inject(CONNECTOR_CLIENT) private readonly connector: Connector,
    @Inject(SYNC_CONFIG) private readonly config: SyncConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Claims due writes (another instance skips them) and performs them; answers how many ran. */
  async runDue(limit = 20): Promise<number> {
    const { rows } = await this.pool.query<{
      booking_id: string;
      attempts: number;
      restore: boolean;
      generation: number;
      cause: Claim['cause'];
    }>(
      `UPDATE pending_writes p
          SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)
         FROM (SELECT booking_id FROM pending_writes WHERE next_attempt_at <= now()
               ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED) due
        WHERE p.booking_id = due.booking_id RETURNING p.booking_id, p.attempts, p.restore, p.generation, p.cause`,
      [limit, this.config.SYNC_WRITE_LEASE_MS],
    );
    await Promise.all(
      rows.map((r) =>
        // In the trace of the booking event that queued it.
        continueTrace('sync write-back', r.cause, () =>
          this.write({
            bookingId: r.booking_id,
            attempts: r.attempts,
            restore: r.restore,
            generation: r.generation,
            cause: r.cause,
          }),
        ),
      ),
    );
    return rows.length;
  }

  private async booking(bookingId: string): Promise<BookingRow | null> {
    const { rows } = await this.pool.query<BookingRow>(
      `SELECT booking_id AS "bookingId", pro_id AS "proId", uid, service_id AS "serviceId", start_at AS start,
              end_at AS end, time_zone AS "timeZone", sequence, active, calendar_id AS "calendarId",
              connection_id AS "connectionId", href, etag
         FROM sync_bookings WHERE booking_id = $1`,
      [bookingId],
    );
    return rows[0] ?? null;
  }

  private async writeTarget(
    proId: string,
  ): Promise<{ calendarId: string; connectionId: string } | null> {
    const { rows } = await this.pool.query<{ calendarId: string; connectionId: string }>(
      `SELECT c.calendar_id AS "calendarId", c.connection_id AS "connectionId"
         FROM sync_calendars c JOIN sync_connections k USING (connection_id)
        WHERE c.pro_id = $1 AND c.write_target AND NOT c.removed AND NOT k.removed AND NOT k.paused
        LIMIT 1`,
      [proId],
    );
    return rows[0] ?? null;
  }

  private async write(claim: Claim): Promise<void> {
    const { bookingId, attempts, restore } = claim;
    const booking = await this.booking(bookingId);
    try {
      if (!booking) return await this.done(this.pool, claim);
      if (!booking.active) return await this.removeCopy(booking, claim);
      const target =
        booking.calendarId && booking.connectionId
          ? { calendarId: booking.calendarId, connectionId: booking.connectionId }
          : await this.writeTarget(booking.proId);
      // No calendar to write into: nothing to mirror until the Pro picks one.
      if (!target) return await this.done(this.pool, claim);
      const sameCalendar = booking.calendarId === target.calendarId;
      const request = {
        ...target,
        href: sameCalendar ? booking.href : null,
        uid: booking.uid,
        data: bookingIcs(booking, this.clock.now().getTime()),
        ifMatch: sameCalendar ? booking.etag : null,
      };
      const written = await this.connector.call('write', request).catch(async (error: unknown) => {
        // Our own earlier try (a create whose answer was lost) or an edit the Pro made since we
        // last looked: the platform's version wins, so it is written over whatever is there.
        if (error instanceof SyncProviderError && error.kind === 'precondition_failed')
          return this.connector.call('write', { ...request, ifMatch: '*' });
        throw error;
      });
      const action = restore ? 'restored' : booking.href && sameCalendar ? 'updated' : 'created';
      await withTransaction(this.pool, async (tx) => {
        await tx.query(
          'UPDATE sync_bookings SET calendar_id = $2, connection_id = $3, href = $4, etag = $5 WHERE booking_id = $1',
          [bookingId, target.calendarId, target.connectionId, written.href, written.etag],
        );
        await tx.query(
          `INSERT INTO sync_items (calendar_id, href, uid, etag, instances) VALUES ($1, $2, $3, $4, '{}')
           ON CONFLICT (calendar_id, href) DO UPDATE SET uid = excluded.uid, etag = excluded.etag, instances = '{}'`,
          [target.calendarId, written.href, booking.uid, written.etag],
        );
        await this.done(tx, claim);
        await this.store.appendWith(
          tx,
          mirrorStreamId(bookingId),
          [
            {
              type: 'calendar.booking_mirrored',
              data: {
                proId: booking.proId,
                bookingId,
                calendarId: target.calendarId,
                eventUid: booking.uid,
                action,
              },
            },
          ],
          appendOptions(claim),
        );
      });
    } catch (error) {
      await this.retryLater(bookingId, attempts, error);
    }
  }

  private async removeCopy(booking: BookingRow, claim: Claim): Promise<void> {
    if (booking.calendarId && booking.connectionId && booking.href) {
      const ref = {
        calendarId: booking.calendarId,
        connectionId: booking.connectionId,
        href: booking.href,
      };
      await this.connector
        .call('remove', { ...ref, ifMatch: booking.etag })
        .catch(async (error: unknown) => {
          if (error instanceof SyncProviderError && error.kind === 'precondition_failed')
            return this.connector.call('remove', { ...ref, ifMatch: null });
          throw error;
        });
    }
    await withTransaction(this.pool, async (tx) => {
      await tx.query('UPDATE sync_bookings SET href = NULL, etag = NULL WHERE booking_id = $1', [
        booking.bookingId,
      ]);
      if (booking.calendarId && booking.href)
        await tx.query('DELETE FROM sync_items WHERE calendar_id = $1 AND href = $2', [
          booking.calendarId,
          booking.href,
        ]);
      await this.done(tx, claim);
      if (booking.calendarId && booking.href)
        await this.store.appendWith(
          tx,
          mirrorStreamId(booking.bookingId),
          [
            {
              type: 'calendar.booking_mirrored',
              data: {
                proId: booking.proId,
                bookingId: booking.bookingId,
                calendarId: booking.calendarId,
                eventUid: booking.uid,
                action: 'deleted',
              },
            },
          ],
          appendOptions(claim),
        );
    });
  }

  /** Takes the write off the queue, unless the booking changed meanwhile: then it runs again now. */
  private async done(db: Pool | PoolClient, claim: Claim): Promise<void> {
    const { rowCount } = await db.query(
      'DELETE FROM pending_writes WHERE booking_id = $1 AND generation = $2',
      [claim.bookingId, claim.generation],
    );
    if (!rowCount)
      await db.query('UPDATE pending_writes SET next_attempt_at = now() WHERE booking_id = $1', [
        claim.bookingId,
      ]);
  }

  private async retryLater(bookingId: string, attempts: number, error: unknown): Promise<void> {
    if (error instanceof SyncDeferred) {
      await this.pool.query(
        'UPDATE pending_writes SET next_attempt_at = to_timestamp($2::float8 / 1000) WHERE booking_id = $1',
        [bookingId, error.retryAt],
      );
      return;
    }
    const typed = error instanceof SyncProviderError ? error : null;
    if (!typed)
      this.logger.error({
        msg: 'booking write failed',
        bookingId,
        error: (error as Error).message,
      });
    const ceiling = Math.min(this.config.SYNC_MAX_BACKOFF_MS, 1_000 * 2 ** attempts);
    const delay = Math.max(
      typed?.retryAfterMs ?? 0,
      Math.round(ceiling / 2 + (Math.random() * ceiling) / 2),
    );
    await this.pool.query(
      `UPDATE pending_writes SET attempts = attempts + 1, last_error = $2,
         next_attempt_at = now() + make_interval(secs => $3::double precision / 1000) WHERE booking_id = $1`,
      [bookingId, (typed?.message ?? 'internal error').slice(0, 2000), delay],
    );
  }
}
