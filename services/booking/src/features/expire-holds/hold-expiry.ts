import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, PG_POOL } from '@cs/eventing';
import { Pool } from 'pg';
import { BookingCommands } from '../../infrastructure/booking-commands';
import { BOOKING_CONFIG, type BookingConfig } from '../../infrastructure/booking-config';
import { DueWorkPoller } from '../../infrastructure/due-work-poller';
import { IdempotencyKeys } from '../../infrastructure/idempotency/idempotency-keys';

const BATCH = 100;

/**
 * Releases holds whose time is up. The schedule is the bookings table itself (held rows by
 * expiry). Several instances may poll at once: the Pro schedule's lock makes the second one a
 * no-op.
 */
@Injectable()
export class HoldExpiry extends DueWorkPoller {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly commands: BookingCommands,
    private readonly idempotencyKeys: IdempotencyKeys,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(BOOKING_CONFIG) config: BookingConfig,
  ) {
    super({
      name: 'HoldExpiry',
      description: 'hold expiry',
      intervalMs: () => config.HOLD_EXPIRY_POLL_MS,
    });
  }

  protected async poll(): Promise<void> {
    const { rows } = await this.pool.query<{ pro_id: string }>(
      `SELECT DISTINCT unnest(pro_ids) AS pro_id FROM (
         SELECT pro_ids FROM bookings WHERE status = 'held' AND hold_expires_at <= $1 LIMIT $2) due`,
      [this.clock.now(), BATCH],
    );
    for (const { pro_id: proId } of rows) {
      await this.commands.runAsSystem('hold-expiry', (s) =>
        s.execute(proId, { type: 'expire_holds', now: s.now }),
      );
    }
    await this.idempotencyKeys.forgetOld();
  }
}
