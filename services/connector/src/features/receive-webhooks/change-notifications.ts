import { Inject, Injectable } from '@nestjs/common';
import { ConcurrencyError, EventStore, PG_POOL, withTransaction } from '@cs/eventing';
import { Pool, type PoolClient } from 'pg';
import type { PushTargetRow } from '../../infrastructure/push-subscriptions/push-subscription-store';

export type ChangeReason = 'changed' | 'missed' | 'webhook' | 'subscribed';

export const pushStreamId = (calendarId: string) => `push-${calendarId}`;

const ATTEMPTS = 5;

/**
 * Turns verified notifications into `calendar.change_notified`, which sync answers with a delta
 * sync; the provider is never called while it waits for our answer. One event per calendar,
 * on the calendar's own push stream.
 */
@Injectable()
export class ChangeNotifications {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly store: EventStore,
  ) {}

  /** `work` and the events commit together; a race with another notification is retried. */
  async record(
    notified: ReadonlyMap<PushTargetRow, ChangeReason>,
    work: (tx: PoolClient) => Promise<boolean> = () => Promise.resolve(true),
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await withTransaction(this.pool, async (tx) => {
          if (!(await work(tx))) return;
          for (const [row, reason] of notified)
            await this.store.appendWith(
              tx,
              pushStreamId(row.calendarId),
              [
                {
                  type: 'calendar.change_notified',
                  data: {
                    proId: row.proId,
                    connectionId: row.connectionId,
                    calendarId: row.calendarId,
                    provider: row.provider,
                    reason,
                  },
                },
              ],
              { expectedVersion: 'any' },
            );
        });
        return;
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= ATTEMPTS) throw error;
      }
    }
  }
}
