import { Inject, Injectable, Logger } from '@nestjs/common';
import type { SyncCause } from '@cs/contracts';
import {
  CLOCK,
  type Clock,
  EventStore,
  newId,
  type NewEvent,
  PG_POOL,
  withTransaction,
  withUnitOfWork,
} from '@cs/eventing';
import { Pool, type PoolClient } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import {
  type ChangePlan,
  type ItemStatus,
  type Mirror,
  planChanges,
  planListing,
} from '../../domain/inbound/plan';
import { afterFailure, nextPoll } from '../../domain/sync-state/sync-health';
import { type CalendarRow, liveCalendar } from '../../infrastructure/calendar-rows';
import {
  type Connector,
  CONNECTOR_CLIENT,
  SyncProviderError,
} from '../../infrastructure/connector-client';
import { SyncDeferred } from '../../infrastructure/limits/limited-connector';
import { EditPolicies } from '../../infrastructure/edit-policy/edit-policies';
import { recordProblems } from './record-problems';
import { calendarStreamId, conflictStreamId } from '../../infrastructure/streams';
import { SYNC_CONFIG, type SyncConfig } from '../../infrastructure/sync-config';
import { SyncMetrics } from '../../infrastructure/sync-metrics';

const FETCH_BATCH = 100;

/**
 * One calendar's inbound sync, plan then act: list (a delta where the provider has one),
 * compare with the stored status, read only what changed, then in one transaction emit the
 * changes, store the new status and advance the cursor. A run that lost a race to another is
 * dropped; the next one starts from what was committed.
 */
@Injectable()
export class CalendarSyncer {
  private readonly logger = new Logger('CalendarSync');

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly store: EventStore,
    @Inject(CONNECTOR_CLIENT) private readonly connector: Connector,
    @Inject(SYNC_CONFIG) private readonly config: SyncConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly editPolicies: EditPolicies,
    private readonly metrics: SyncMetrics,
  ) {}

  async run(calendarId: string): Promise<void> {
    const calendar = await liveCalendar(this.pool, calendarId);
    if (!calendar || calendar.paused) return;
    try {
      const ref = { connectionId: calendar.connectionId, calendarId };
      const listing = await this.connector.call('list', {
        ...ref,
        cursor: calendar.fullRequested ? null : calendar.cursor,
      });
      const status = await this.status(calendarId);
      const { fetch, gone } = planListing(listing, status);
      const fetched: Array<{ href: string; etag: string | null; data: string }> = [];
      const owner = new Set<string>();
      for (let i = 0; i < fetch.length; i += FETCH_BATCH) {
        const reply = await this.connector.call('fetch', {
          ...ref,
          hrefs: fetch.slice(i, i + FETCH_BATCH),
        });
        fetched.push(...reply.items);
        for (const address of reply.owner) owner.add(address);
      }
      // Listed but gone by the time it was read: deleted in between.
      const vanished = fetch.filter(
        (href) => !fetched.some((f) => f.href === href) && status.has(href),
      );
      const plan = planChanges({
        fetched,
        gone: [...gone, ...vanished],
        status,
        mirrors: await this.mirrors(calendar),
        now: this.clock.now().getTime(),
        owner: [...owner],
      });
      await this.apply(calendar, listing.cursor, plan, {
        mode: listing.kind,
        fetched: fetched.length,
      });
    } catch (error) {
      if (error instanceof SyncDeferred) {
        await this.pool.query(
          `UPDATE sync_calendars SET next_sync_at = to_timestamp($2::float8 / 1000)
            WHERE calendar_id = $1 AND revision = $3`,
          [calendarId, error.retryAt, calendar.revision],
        );
        return;
      }
      if (!(error instanceof SyncProviderError)) {
        this.logger.error({ msg: 'sync run failed', calendarId, error: (error as Error).message });
        await this.fail(calendar, new SyncProviderError('transient', 'internal error during sync'));
        return;
      }
      await this.fail(calendar, error);
    }
  }

  private async status(calendarId: string): Promise<Map<string, ItemStatus>> {
    const { rows } = await this.pool.query<ItemStatus>(
      'SELECT href, uid, etag, instances FROM sync_items WHERE calendar_id = $1',
      [calendarId],
    );
    return new Map(rows.map((r) => [r.href, r]));
  }

  private async mirrors(calendar: CalendarRow): Promise<Map<string, Mirror>> {
    const { rows } = await this.pool.query<Mirror>(
      `SELECT booking_id AS "bookingId", uid, href, etag,
              to_char(start_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS start,
              to_char(end_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS end
         FROM sync_bookings WHERE calendar_id = $1 AND active`,
      [calendar.calendarId],
    );
    return new Map(rows.map((r) => [r.uid, r]));
  }

  private async apply(
    calendar: CalendarRow,
    cursor: string | null,
    plan: ChangePlan,
    run: { mode: 'full' | 'delta'; fetched: number },
  ): Promise<void> {
    const { calendarId, proId, connectionId } = calendar;
    const now = this.clock.now();
    await withUnitOfWork(this.dataSource, async ({ client: tx, manager }) => {
      const current = await liveCalendar(tx, calendarId, true);
      if (!current || current.revision !== calendar.revision) return;
      const events: NewEvent[] = [
        ...plan.removals.map((r) => ({
          type: 'calendar.event_removed',
          data: { proId, calendarId, ...r },
        })),
        ...plan.upserts.map((u) => ({
          type: 'calendar.event_upserted',
          data: { proId, calendarId, ...u },
        })),
      ];
      const changes = events.length;
      if (calendar.state !== 'ok')
        events.push({
          type: 'calendar.sync_state_changed',
          data: { proId, connectionId, calendarId, state: 'ok', lastError: null },
        });
      events.push({
        type: 'calendar.synced',
        data: {
          proId,
          connectionId,
          calendarId,
          syncedAt: now.toISOString(),
          changes,
          cause: causeOf(calendar),
          ...run,
        },
      });
      await this.writeStatus(tx, calendarId, plan);
      events.push(...(await recordProblems(tx, calendar)));
      await this.store.appendWith(tx, calendarStreamId(calendarId), events, {
        expectedVersion: 'any',
      });
      await this.recordConflicts(tx, manager, calendar, plan, now);
      // The claim leased next_sync_at into the future; one back at or before the present means
      // a sync was asked for while this one ran (after its listing), so it stays due with its
      // request. clock_timestamp(), not now(): now() is this transaction's start, and a request
      // committed while this transaction ran is stamped later than that.
      await tx.query(
        `UPDATE sync_calendars SET cursor = $2, state = 'ok', failures = 0, auth_failures = 0,
           last_synced_at = $3, last_error = NULL, revision = revision + 1,
           full_requested = next_sync_at <= clock_timestamp() AND full_requested,
           requested_cause = CASE WHEN next_sync_at <= clock_timestamp() THEN requested_cause END,
           next_sync_at = CASE WHEN next_sync_at <= clock_timestamp() THEN next_sync_at ELSE $4 END
         WHERE calendar_id = $1`,
        [
          calendarId,
          cursor,
          now,
          new Date(
            nextPoll({
              now: now.getTime(),
              pollMs: this.config.SYNC_POLL_INTERVAL_MS,
              random: Math.random(),
            }),
          ),
        ],
      );
    });
  }

  private async writeStatus(tx: PoolClient, calendarId: string, plan: ChangePlan): Promise<void> {
    if (plan.statusDeletes.length > 0)
      await tx.query('DELETE FROM sync_items WHERE calendar_id = $1 AND href = ANY($2)', [
        calendarId,
        plan.statusDeletes,
      ]);
    if (plan.statusWrites.length > 0)
      await tx.query(
        `INSERT INTO sync_items (calendar_id, href, uid, etag, instances, problems)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[])
         ON CONFLICT (calendar_id, href) DO UPDATE SET uid = excluded.uid, etag = excluded.etag,
           instances = excluded.instances, problems = excluded.problems`,
        [
          calendarId,
          plan.statusWrites.map((s) => s.href),
          plan.statusWrites.map((s) => s.uid),
          plan.statusWrites.map((s) => s.etag),
          plan.statusWrites.map((s) => JSON.stringify(s.instances)),
          plan.statusWrites.map((s) => JSON.stringify(s.problems)),
        ],
      );
    for (const m of plan.mirrorEtags)
      await tx.query('UPDATE sync_bookings SET href = $2, etag = $3 WHERE booking_id = $1', [
        m.bookingId,
        m.href,
        m.etag,
      ]);
  }

  /**
   * Every edit of a mirrored booking is recorded as a conflict; the Pro's policy settles it:
   * platform wins (our version is written back) or a reschedule request for booking to decide.
   */
  private async recordConflicts(
    tx: PoolClient,
    manager: EntityManager,
    calendar: CalendarRow,
    plan: ChangePlan,
    now: Date,
  ): Promise<void> {
    if (plan.conflicts.length === 0) return;
    const policy = await this.editPolicies.of(calendar.proId, manager);
    for (const conflict of plan.conflicts) {
      const conflictId = newId();
      const written = plan.statusWrites.find((s) => s.uid === conflict.eventUid);
      await tx.query(
        conflict.kind === 'deleted'
          ? 'UPDATE sync_bookings SET etag = NULL WHERE booking_id = $1'
          : 'UPDATE sync_bookings SET etag = $2, href = COALESCE($3, href) WHERE booking_id = $1',
        conflict.kind === 'deleted'
          ? [conflict.bookingId]
          : [conflict.bookingId, written?.etag ?? null, written?.href ?? null],
      );
      await tx.query(
        `INSERT INTO sync_conflicts (conflict_id, booking_id, pro_id, connection_id, calendar_id, event_uid, kind, theirs, status, detected_at, policy)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10)`,
        [
          conflictId,
          conflict.bookingId,
          calendar.proId,
          calendar.connectionId,
          calendar.calendarId,
          conflict.eventUid,
          conflict.kind,
          conflict.theirs ? JSON.stringify(conflict.theirs) : null,
          now,
          policy,
        ],
      );
      if (policy === 'platform_wins')
        await tx.query(
          `INSERT INTO pending_writes (booking_id, restore) VALUES ($1, true)
           ON CONFLICT (booking_id) DO UPDATE SET restore = true, next_attempt_at = now(), attempts = 0,
             generation = pending_writes.generation + 1`,
          [conflict.bookingId],
        );
      const request: NewEvent[] =
        policy === 'reschedule_request'
          ? [
              {
                type: 'calendar.reschedule_requested',
                data: {
                  conflictId,
                  proId: calendar.proId,
                  bookingId: conflict.bookingId,
                  calendarId: calendar.calendarId,
                  kind: conflict.kind,
                  requested: conflict.theirs,
                },
              },
            ]
          : [];
      await this.store.appendWith(
        tx,
        conflictStreamId(conflictId),
        [
          {
            type: 'calendar.sync_conflict_recorded',
            data: {
              conflictId,
              proId: calendar.proId,
              bookingId: conflict.bookingId,
              calendarId: calendar.calendarId,
              eventUid: conflict.eventUid,
              kind: conflict.kind,
              theirs: conflict.theirs,
              policy,
            },
          },
          ...request,
        ],
        { expectedVersion: 'no_stream' },
      );
    }
  }

  private async fail(calendar: CalendarRow, error: SyncProviderError): Promise<void> {
    const now = this.clock.now().getTime();
    const { health, retryAt } = afterFailure(
      { state: calendar.state, failures: calendar.failures, authFailures: calendar.authFailures },
      { kind: error.kind, retryAfterMs: error.retryAfterMs },
      {
        now,
        pollMs: this.config.SYNC_POLL_INTERVAL_MS,
        random: Math.random(),
        maxBackoffMs: this.config.SYNC_MAX_BACKOFF_MS,
        reauthAfter: this.config.SYNC_REAUTH_AFTER_FAILURES,
      },
    );
    const lastError = error.message.slice(0, 2000);
    const recorded = await withTransaction(this.pool, async (tx) => {
      const current = await liveCalendar(tx, calendar.calendarId, true);
      // Another run got there first: its outcome is the one that counts.
      if (!current || current.revision !== calendar.revision) return false;
      await tx.query(
        `UPDATE sync_calendars SET state = $2, failures = $3, auth_failures = $4, last_error = $5,
           requested_cause = NULL, next_sync_at = COALESCE($6, 'infinity'::timestamptz),
           revision = revision + 1 WHERE calendar_id = $1`,
        [
          calendar.calendarId,
          health.state,
          health.failures,
          health.authFailures,
          lastError,
          retryAt === null ? null : new Date(retryAt),
        ],
      );
      const { proId, connectionId, calendarId } = calendar;
      const events: NewEvent[] = [
        {
          type: 'calendar.sync_failed',
          data: {
            proId,
            connectionId,
            calendarId,
            cause: causeOf(calendar),
            errorKind: error.kind,
            error: lastError,
            retryAt: retryAt === null ? null : new Date(retryAt).toISOString(),
          },
        },
      ];
      if (health.state !== calendar.state)
        events.push({
          type: 'calendar.sync_state_changed',
          data: { proId, connectionId, calendarId, state: health.state, lastError },
        });
      await this.store.appendWith(tx, calendarStreamId(calendarId), events, {
        expectedVersion: 'any',
      });
      return true;
    });
    if (recorded) this.metrics.failed(calendar.provider, error.kind, calendar.state, health.state);
  }
}

/** A run nobody asked for is the poll, or the retry after a failure. */
function causeOf(calendar: CalendarRow): SyncCause {
  return calendar.requestedCause ?? (calendar.failures > 0 ? 'retry' : 'schedule');
}
