import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { mirroredEditPolicies } from '@cs/contracts';
import { CommandHandler, EventStore, withUnitOfWork } from '@cs/eventing';
import {
  assertCanAccessPro,
  CurrentPrincipal,
  type Principal,
  Roles,
  ZodValidationPipe,
} from '@cs/platform';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import {
  type SetSyncPolicy,
  type SyncPolicyEvent,
  type SyncPolicyState,
  syncPolicyDecider,
} from '../../domain/sync-policy/sync-policy';
import { EditPolicies } from '../../infrastructure/edit-policy/edit-policies';
import { proSyncStreamId } from '../../infrastructure/streams';

const body = z.object({ mirroredEdits: z.enum(mirroredEditPolicies) });

@ApiTags('sync')
@ApiBearerAuth()
@Controller('v1/pros/:proId/sync-policy')
export class EditPolicyController {
  private readonly choices: CommandHandler<SyncPolicyState, SetSyncPolicy, SyncPolicyEvent>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly policies: EditPolicies,
    store: EventStore,
  ) {
    // Two choices of one Pro queue on the stream's lock: the later one decides on the first.
    this.choices = new CommandHandler(store, syncPolicyDecider, { lock: true });
  }

  @Get()
  @Roles('service', 'pro')
  @ApiOperation({ summary: "What the Pro's calendar edits to mirrored bookings mean" })
  async get(@Param('proId') proId: string, @CurrentPrincipal() principal: Principal) {
    assertCanAccessPro(principal, proId);
    return { proId, mirroredEdits: await this.policies.of(proId) };
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
    await withUnitOfWork(this.dataSource, async ({ manager, client }) => {
      const { decided } = await this.choices.handleWith(client, proSyncStreamId(proId), {
        type: 'set',
        proId,
        mirroredEdits: input.mirroredEdits,
      });
      if (decided.length > 0) await this.policies.choose(manager, proId, input.mirroredEdits);
    });
    return { proId, mirroredEdits: input.mirroredEdits };
  }
}
