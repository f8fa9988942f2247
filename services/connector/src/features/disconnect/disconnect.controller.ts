import { Controller, Delete, HttpCode, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CLOCK, type Clock, withUnitOfWork } from '@cs/eventing';
import { CurrentPrincipal, type Principal, Roles } from '@cs/platform';
import { DataSource } from 'typeorm';
import { orConnectionProblem } from '../../infrastructure/connections/connection-problems';
import { ConnectionStore } from '../../infrastructure/connections/connection-store';
import { ownedConnection } from '../../infrastructure/connections/owned-connection';
import { ConnectionCommands } from '../../infrastructure/connections/connection-commands';
import { forgetFeedsOf } from '../../infrastructure/providers/ics/pg-feed-item-store';
import { SubscriptionManager } from '../push-subscriptions/subscription-manager';

@ApiTags('connections')
@ApiBearerAuth()
@Controller('v1/connections')
export class DisconnectController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly commands: ConnectionCommands,
    private readonly connections: ConnectionStore,
    private readonly push: SubscriptionManager,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Delete(':connectionId')
  @HttpCode(204)
  @Roles('service', 'pro')
  @ApiOperation({
    summary: "Disconnect: forgets the credentials; sync removes the connection's busy time",
  })
  async disconnect(
    @Param('connectionId') connectionId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await ownedConnection(this.connections, connectionId, principal);
    // Push channels are stopped with the credentials, so before these are forgotten.
    await this.push.stopConnection(connectionId);
    await orConnectionProblem(() =>
      withUnitOfWork(this.dataSource, async ({ manager, client }) => {
        await this.connections.markRemoved(manager, connectionId, this.clock.now());
        await forgetFeedsOf(client, connectionId);
        await this.commands.handleWith(client, connectionId, { type: 'remove' });
      }),
    );
  }
}
