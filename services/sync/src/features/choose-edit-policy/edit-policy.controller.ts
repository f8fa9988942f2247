import { Body, Controller, Get, Inject, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { mirroredEditPolicies } from '@cs/contracts';
import { EventStore, PG_POOL, withTransaction } from '@cs/eventing';
import {
  assertCanAccessPro,
  CurrentPrincipal,
  type Principal,
  Roles,
  ZodValidationPipe,
} from '@cs/platform';
import { Pool } from 'pg';
import { z } from 'zod';
import { editPolicyOf } from '../../infrastructure/edit-policy';
import { proSyncStreamId } from '../../infrastructure/streams';

const body = z.object({ mirroredEdits: z.enum(mirroredEditPolicies) });

@ApiTags('sync')
@ApiBearerAuth()
@Controller('v1/pros/:proId/sync-policy')
export class EditPolicyController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly store: EventStore,
  ) {}

  @Get()
  @Roles('service', 'pro')
  @ApiOperation({ summary: "What the Pro's calendar edits to mirrored bookings mean" })
  async get(@Param('proId') proId: string, @CurrentPrincipal() principal: Principal) {
    assertCanAccessPro(principal, proId);
    return { proId, mirroredEdits: await editPolicyOf(this.pool, proId) };
  }

  @Put()
  @Roles('service', 'pro')
  @ApiOperation({
    summary:
      'platform_wins (default: the booking is put back) or reschedule_request (the edit is sent to booking as a request)',
  })
  async set(
    @Param('proId') proId: string,
    @Body(new ZodValidationPipe(body)) input: z.infer<typeof body>,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertCanAccessPro(principal, proId);
    await withTransaction(this.pool, async (tx) => {
      await tx.query(
        `INSERT INTO sync_policies (pro_id, mirrored_edits) VALUES ($1, $2)
         ON CONFLICT (pro_id) DO UPDATE SET mirrored_edits = excluded.mirrored_edits`,
        [proId, input.mirroredEdits],
      );
      await this.store.appendWith(
        tx,
        proSyncStreamId(proId),
        [{ type: 'calendar.sync_policy_set', data: { proId, mirroredEdits: input.mirroredEdits } }],
        { expectedVersion: 'any' },
      );
    });
    return { proId, mirroredEdits: input.mirroredEdits };
  }
}
