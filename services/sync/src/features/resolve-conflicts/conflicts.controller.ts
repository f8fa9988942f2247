import { Body, Controller, Get, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandHandler, EventStore, PG_POOL, withTransaction } from '@cs/eventing';
import {
  CurrentPrincipal,
  type Principal,
  ProblemException,
  Roles,
  ZodValidationPipe,
} from '@cs/platform';
import { Pool } from 'pg';
import { z } from 'zod';
import {
  ConflictAlreadyResolved,
  type ResolveConflict,
  type SyncConflict,
  type SyncConflictEvent,
  syncConflictDecider,
} from '../../domain/sync-conflict/sync-conflict';
import type { EditPolicy } from '../../domain/sync-policy/sync-policy';
import { ownedConnection } from '../../infrastructure/owned-connection';
import { conflictStreamId } from '../../infrastructure/streams';
import { SyncScheduler } from '../sync-calendar/sync-scheduler';

interface ConflictRow {
  conflictId: string;
  bookingId: string;
  connectionId: string;
  calendarId: string;
  eventUid: string;
  kind: 'moved' | 'deleted';
  theirs: { start: string; end: string } | null;
  status: 'open' | 'resolved';
  policy: EditPolicy;
  keep: 'ours' | 'theirs' | null;
  detectedAt: Date;
  resolvedAt: Date | null;
}

const columns = `conflict_id AS "conflictId", booking_id AS "bookingId", connection_id AS "connectionId",
  calendar_id AS "calendarId", event_uid AS "eventUid", kind, theirs, status, policy, keep,
  detected_at AS "detectedAt", resolved_at AS "resolvedAt"`;

const view = (c: ConflictRow) => ({
  ...c,
  detectedAt: c.detectedAt.toISOString(),
  resolvedAt: c.resolvedAt?.toISOString() ?? null,
});

const body = z.object({ keep: z.enum(['ours', 'theirs']) });

@ApiTags('sync')
@ApiBearerAuth()
@Controller('v1')
export class ConflictsController {
  private readonly conflicts: CommandHandler<SyncConflict, ResolveConflict, SyncConflictEvent>;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    store: EventStore,
    private readonly scheduler: SyncScheduler,
  ) {
    this.conflicts = new CommandHandler(store, syncConflictDecider);
  }

  @Get('connections/:connectionId/conflicts')
  @Roles('service', 'pro')
  @ApiOperation({ summary: 'Changes the Pro made to mirrored bookings, and how each was settled' })
  async list(
    @Param('connectionId') connectionId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    await ownedConnection(this.pool, connectionId, principal);
    const { rows } = await this.pool.query<ConflictRow>(
      `SELECT ${columns} FROM sync_conflicts WHERE connection_id = $1 ORDER BY detected_at DESC`,
      [connectionId],
    );
    return { items: rows.map(view) };
  }

  @Post('sync-conflicts/:conflictId/resolve')
  @Roles('service', 'pro')
  @ApiOperation({
    summary:
      "Settle a conflict by hand: keep ours (the booking stays, its copy is written again) or keep theirs (the booking side is told the Pro's time)",
  })
  async resolve(
    @Param('conflictId') conflictId: string,
    @Body(new ZodValidationPipe(body)) input: z.infer<typeof body>,
    @CurrentPrincipal() principal: Principal,
  ) {
    const { rows } = await this.pool.query<ConflictRow>(
      `SELECT ${columns} FROM sync_conflicts WHERE conflict_id = $1`,
      [conflictId],
    );
    const conflict = rows[0];
    if (!conflict)
      throw new ProblemException({
        status: 404,
        type: 'not-found',
        detail: `no conflict ${conflictId}`,
      });
    await ownedConnection(this.pool, conflict.connectionId, principal);
    if (conflict.status === 'resolved')
      throw new ProblemException({
        status: 409,
        type: 'conflict-resolved',
        detail: 'this conflict is already resolved',
      });
    const resolved = await withTransaction(this.pool, async (tx) => {
      const { rows: updated } = await tx.query<ConflictRow>(
        `UPDATE sync_conflicts SET status = 'resolved', keep = $2, resolved_at = now()
          WHERE conflict_id = $1 AND status = 'open' RETURNING ${columns}`,
        [conflictId, input.keep],
      );
      if (!updated[0])
        throw new ProblemException({
          status: 409,
          type: 'conflict-resolved',
          detail: 'this conflict is already resolved',
        });
      if (input.keep === 'ours')
        await tx.query(
          `INSERT INTO pending_writes (booking_id, restore) VALUES ($1, true)
           ON CONFLICT (booking_id) DO UPDATE SET next_attempt_at = now(), attempts = 0,
             generation = pending_writes.generation + 1`,
          [conflict.bookingId],
        );
      try {
        await this.conflicts.handleWith(tx, conflictStreamId(conflictId), {
          type: 'resolve',
          keep: input.keep,
        });
      } catch (error) {
        if (error instanceof ConflictAlreadyResolved)
          throw new ProblemException({
            status: 409,
            type: 'conflict-resolved',
            detail: error.message,
          });
        throw error;
      }
      return updated[0];
    });
    this.scheduler.kick();
    return view(resolved);
  }
}
