import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BusNaming, id, syncStatusRpc, syncStatusSubject } from '@cs/contracts';
import { NATS_CONNECTION } from '@cs/eventing';
import {
  assertCanAccessPro,
  CurrentPrincipal,
  parseOr400,
  type Principal,
  Roles,
} from '@cs/platform';
import type { NatsConnection } from '@nats-io/transport-node';
import type { z } from 'zod';
import { calendarView } from '../../infrastructure/connections/calendar-view';
import { ConnectionStore } from '../../infrastructure/connections/connection-store';

type SyncState = z.infer<typeof syncStatusRpc.reply>['calendars'][number];
const SYNC_STATUS_DEADLINE_MS = 1_000;

@ApiTags('connections')
@ApiBearerAuth()
@Controller('v1/pros/:proId/connections')
export class ViewConnectionsController {
  constructor(
    private readonly connections: ConnectionStore,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly naming: BusNaming,
  ) {}

  @Get()
  @Roles('service', 'pro')
  @ApiOperation({ summary: "A Pro's connections and calendars, with each calendar's sync state" })
  async list(@Param('proId') proId: string, @CurrentPrincipal() principal: Principal) {
    parseOr400(id, proId, 'params');
    assertCanAccessPro(principal, proId);
    const connections = await this.connections.forPro(proId);
    const ids = connections.map((c) => c.connectionId);
    const [calendars, states] = await Promise.all([
      this.connections.calendars(ids),
      this.syncStates(ids),
    ]);
    return {
      items: connections.map((connection) => ({
        connectionId: connection.connectionId,
        provider: connection.provider,
        status: connection.status,
        endpoint: connection.endpoint,
        createdAt: connection.createdAt.toISOString(),
        calendars: calendars
          .filter((c) => c.connectionId === connection.connectionId)
          .map((c) => {
            const state = states.get(c.calendarId);
            return {
              ...calendarView(c),
              sync: state
                ? {
                    state: state.state,
                    paused: state.paused,
                    lastSyncedAt: state.lastSyncedAt,
                    lastError: state.lastError,
                    problems: state.problems,
                    problemCount: state.problemCount,
                  }
                : null,
            };
          }),
      })),
    };
  }

  /** Asked of the sync service with a deadline; without an answer the state is shown as unknown (null). */
  private async syncStates(connectionIds: string[]): Promise<Map<string, SyncState>> {
    if (connectionIds.length === 0) return new Map();
    try {
      const reply = await this.nc.request(
        syncStatusSubject(this.naming),
        JSON.stringify({ connectionIds }),
        { timeout: SYNC_STATUS_DEADLINE_MS },
      );
      const { calendars } = syncStatusRpc.reply.parse(reply.json());
      return new Map(calendars.map((c) => [c.calendarId, c]));
    } catch {
      return new Map();
    }
  }
}
