import { Controller, Delete, HttpCode, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EventStore, PG_POOL, withTransaction } from '@cs/eventing';
import { CurrentPrincipal, type Principal, Roles } from '@cs/platform';
import { Pool } from 'pg';
import { ConnectionStore } from '../../infrastructure/connections/connection-store';
import { ownedConnection } from '../../infrastructure/connections/owned-connection';
import { connectionStreamId } from '../connect-calendar/connect-calendar.handler';
import { SubscriptionManager } from '../push-subscriptions/subscription-manager';

@ApiTags('connections')
@ApiBearerAuth()
@Controller('v1/connections')
export class DisconnectController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly store: EventStore,
    private readonly connections: ConnectionStore,
    private readonly push: SubscriptionManager,
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
    const connection = await ownedConnection(this.connections, connectionId, principal);
    // Push channels are stopped with the credentials, so before these are forgotten.
    await this.push.stopConnection(connectionId);
    await withTransaction(this.pool, async (tx) => {
      await this.connections.markRemoved(tx, connectionId, new Date());
      await tx.query(
        'DELETE FROM feed_items WHERE calendar_id IN (SELECT calendar_id FROM connection_calendars WHERE connection_id = $1)',
        [connectionId],
      );
      await this.store.appendWith(
        tx,
        connectionStreamId(connectionId),
        [{ type: 'connection.removed', data: { connectionId, proId: connection.proId } }],
        { expectedVersion: 'any' },
      );
    });
  }
}
