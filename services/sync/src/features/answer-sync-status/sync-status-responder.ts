import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { BusNaming, syncStatusRpc, syncStatusSubject } from '@cs/contracts';
import { NATS_CONNECTION, PG_POOL } from '@cs/eventing';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { Pool } from 'pg';
import { calendarsOfConnections } from '../../infrastructure/calendar-rows';
import { calendarStatus, problemsOf } from '../../infrastructure/calendar-problems';

/** Answers the connector's question "how are these connections syncing?" over request/reply. */
@Injectable()
export class SyncStatusResponder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SyncStatus');
  private subscription: Subscription | undefined;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly naming: BusNaming,
  ) {}

  onApplicationBootstrap(): void {
    this.subscription = this.nc.subscribe(syncStatusSubject(this.naming), {
      queue: 'sync',
      callback: (error, msg) => {
        if (!error) void this.answer(msg);
      },
    });
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }

  private async answer(msg: Msg): Promise<void> {
    try {
      const { connectionIds } = syncStatusRpc.request.parse(msg.json());
      const calendars = await calendarsOfConnections(this.pool, connectionIds);
      const problems = await problemsOf(
        this.pool,
        calendars.map((c) => c.calendarId),
      );
      msg.respond(
        JSON.stringify({
          calendars: calendars.map((c) => calendarStatus(c, problems)),
        }),
      );
    } catch (error) {
      // No answer: the caller's deadline passes and it shows the state as unknown.
      this.logger.warn({ msg: 'sync status request failed', error: (error as Error).message });
    }
  }
}
