import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandHandler, EventStore, PG_POOL, withUnitOfWork } from '@cs/eventing';
import { CurrentPrincipal, type Principal, Roles } from '@cs/platform';
import { Pool, type PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import {
  type ControlSync,
  type SyncControl,
  type SyncControlEvent,
  syncControlDecider,
} from '../../domain/sync-control/sync-control';
import { worstState } from '../../domain/sync-state/sync-health';
import { calendarsOfConnection, requestSync } from '../../infrastructure/calendar-rows';
import { problemsOf } from '../../infrastructure/calendar-problems';
import { ownedConnection } from '../../infrastructure/owned-connection';
import { connectionSyncStreamId } from '../../infrastructure/streams';
import { SyncScheduler } from '../sync-calendar/sync-scheduler';

type Action = ControlSync['action'];

@ApiTags('sync')
@ApiBearerAuth()
@Controller('v1/connections/:connectionId')
export class ControlSyncController {
  private readonly controls: CommandHandler<SyncControl, ControlSync, SyncControlEvent>;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly dataSource: DataSource,
    store: EventStore,
    private readonly scheduler: SyncScheduler,
  ) {
    // Controls of one connection queue on the stream's lock: each decides on the one before.
    this.controls = new CommandHandler(store, syncControlDecider, { lock: true });
  }

  @Get('sync-status')
  @Roles('service', 'pro')
  @ApiOperation({
    summary: "A connection's sync state and each calendar's last sync, error and pending writes",
  })
  async status(
    @Param('connectionId') connectionId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    const connection = await ownedConnection(this.pool, connectionId, principal);
    const calendars = await calendarsOfConnection(this.pool, connectionId);
    const { rows: pending } = await this.pool.query<{ calendar_id: string | null; count: number }>(
      `SELECT COALESCE(b.calendar_id, t.calendar_id) AS calendar_id, count(*)::int AS count
         FROM pending_writes p JOIN sync_bookings b USING (booking_id)
         LEFT JOIN sync_calendars t ON t.pro_id = b.pro_id AND t.write_target AND NOT t.removed
        GROUP BY 1`,
    );
    const problems = await problemsOf(
      this.pool,
      calendars.map((c) => c.calendarId),
    );
    return {
      connectionId,
      state: worstState(calendars.map((c) => c.state)),
      paused: connection.paused,
      calendars: calendars.map((c) => ({
        calendarId: c.calendarId,
        state: c.state,
        lastSyncedAt: c.lastSyncedAt?.toISOString() ?? null,
        lastError: c.lastError,
        pendingWrites: pending.find((p) => p.calendar_id === c.calendarId)?.count ?? 0,
        problems: problems.get(c.calendarId)?.problems ?? [],
        problemCount: problems.get(c.calendarId)?.total ?? 0,
      })),
    };
  }

  @Post('sync')
  @HttpCode(202)
  @Roles('service', 'pro')
  @ApiOperation({ summary: 'Sync now: a delta, or a full resync with ?full=true' })
  async sync(
    @Param('connectionId') connectionId: string,
    @CurrentPrincipal() principal: Principal,
    @Query('full') full?: string,
  ) {
    const everything = full === 'true';
    await this.control(
      connectionId,
      principal,
      everything ? 'full_resync_requested' : 'sync_requested',
      (tx) => requestSync(tx, { connectionId }, { cause: 'manual', full: everything }),
    );
    return { connectionId, accepted: true, full: everything };
  }

  @Post('pause')
  @HttpCode(202)
  @Roles('service', 'pro')
  @ApiOperation({ summary: "Stop syncing the connection's calendars until resumed" })
  async pause(
    @Param('connectionId') connectionId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.control(connectionId, principal, 'paused', (tx) =>
      tx.query('UPDATE sync_connections SET paused = true WHERE connection_id = $1', [
        connectionId,
      ]),
    );
    return { connectionId, paused: true };
  }

  @Post('resume')
  @HttpCode(202)
  @Roles('service', 'pro')
  @ApiOperation({
    summary: 'Resume syncing, at once; a calendar waiting for sign-in is tried again',
  })
  async resume(
    @Param('connectionId') connectionId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.control(connectionId, principal, 'resumed', (tx) =>
      tx.query(
        `WITH resumed AS (UPDATE sync_connections SET paused = false WHERE connection_id = $1)
         UPDATE sync_calendars SET next_sync_at = now(), auth_failures = 0, requested_cause = 'manual'
          WHERE connection_id = $1 AND NOT removed`,
        [connectionId],
      ),
    );
    return { connectionId, paused: false };
  }

  private async control(
    connectionId: string,
    principal: Principal,
    action: Action,
    change: (tx: PoolClient) => Promise<unknown>,
  ): Promise<void> {
    const connection = await ownedConnection(this.pool, connectionId, principal);
    await withUnitOfWork(this.dataSource, async ({ client }) => {
      const { decided } = await this.controls.handleWith(
        client,
        connectionSyncStreamId(connectionId),
        { type: 'control', proId: connection.proId, connectionId, action },
      );
      if (decided.length > 0) await change(client);
    });
    this.scheduler.kick();
  }
}
