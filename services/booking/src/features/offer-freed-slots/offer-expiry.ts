import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, EventStore, PG_POOL } from '@cs/eventing';
import { Pool } from 'pg';
import { BookingCommands } from '../../infrastructure/booking-commands';
import { BOOKING_CONFIG, type BookingConfig } from '../../infrastructure/booking-config';
import { DueWorkPoller } from '../../infrastructure/due-work-poller';
import { type WaitlistRow, executeWaitlist } from '../../infrastructure/waitlist-entries';
import { offerFreedSlot } from './offer-freed-slot';

const BATCH = 100;

/**
 * Ends offers nobody answered in time and offers the slot to the next in line. Due offers are
 * found in the waitlist table.
 */
@Injectable()
export class OfferExpiry extends DueWorkPoller {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly store: EventStore,
    private readonly commands: BookingCommands,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(BOOKING_CONFIG) private readonly config: BookingConfig,
  ) {
    super({
      name: 'OfferExpiry',
      description: 'offer expiry',
      intervalMs: () => config.HOLD_EXPIRY_POLL_MS,
    });
  }

  protected async poll(): Promise<void> {
    const { rows } = await this.pool.query<WaitlistRow>(
      'SELECT * FROM waitlist_entries WHERE open_offer_expires_at <= $1 LIMIT $2',
      [this.clock.now(), BATCH],
    );
    for (const entry of rows) {
      const offer = entry.offers.find((o) => o.status === 'open');
      if (!offer) continue;
      await this.commands.runAsSystem('waitlist-offers', async (s) => {
        // The Pro's schedule before the entry: the order every command takes its locks in.
        await s.lock([offer.proId]);
        const expired = await executeWaitlist(s.tx, this.store, {
          type: 'expire_offer',
          entryId: entry.entry_id,
          offerId: offer.offerId,
          now: s.now,
        });
        if (expired.length > 0 && Date.parse(offer.start) > s.now) {
          const slot = {
            proId: offer.proId,
            serviceId: entry.service_id,
            start: Date.parse(offer.start),
            end: Date.parse(offer.end),
          };
          await offerFreedSlot(s, this.store, slot, this.config.WAITLIST_OFFER_TTL_SECONDS * 1_000);
        }
      });
    }
  }
}
