import { Inject, Injectable } from '@nestjs/common';
import { eventRegistry, type PersonRef } from '@cs/contracts';
import { envelopeFromRow, PersonalData, PG_POOL } from '@cs/eventing';
import { Pool } from 'pg';
import { scheduleStreamId } from '../../domain/pro-schedule/pro-schedule';
import { type BookingRow, bookingView } from '../../infrastructure/booking-reads';
import { personStreamId } from './erase-person';
import { NotificationPart } from './notification-part';

/**
 * `GET /v1/people/{kind}/{id}/export`: everything the booking service, the key store and the
 * notification service hold about one person, personal data opened (or `[erased]`), as JSON.
 */
@Injectable()
export class ExportPerson {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly personal: PersonalData,
    private readonly notification: NotificationPart,
  ) {}

  /** `authorization`: the caller's, which notification's part is asked for with. */
  async export(person: PersonRef, authorization: string) {
    const isClient = person.kind === 'client';
    const bookings = await this.pool.query<BookingRow>(
      isClient
        ? 'SELECT * FROM bookings WHERE client_id = $1 ORDER BY start_at'
        : 'SELECT * FROM bookings WHERE $1 = ANY(pro_ids) ORDER BY start_at',
      [person.id],
    );
    const bookingIds = bookings.rows.map((b) => b.booking_id);
    const [waitlist, events, keyStore, notification] = await Promise.all([
      this.pool.query(
        isClient
          ? 'SELECT entry_id, status, service_id, pro_id, territory_id, window_from, window_to, details, offers, booking_id, created_at FROM waitlist_entries WHERE client_id = $1 ORDER BY line'
          : 'SELECT entry_id, status, service_id, pro_id, territory_id, window_from, window_to, offers, booking_id, created_at FROM waitlist_entries WHERE pro_id = $1 ORDER BY line',
        [person.id],
      ),
      this.pool.query(
        `SELECT * FROM events
          WHERE stream_id = $1 OR data->>'bookingId' = ANY($2)
             OR ($3 AND data->>'clientId' = $4) OR (NOT $3 AND stream_id = $5)
          ORDER BY global_position`,
        [personStreamId(person), bookingIds, isClient, person.id, scheduleStreamId(person.id)],
      ),
      this.personal.keys.describe(this.pool, person),
      this.notification.of(person, authorization),
    ]);
    return {
      person,
      keyStore,
      bookings: bookings.rows.map(bookingView),
      waitlist: waitlist.rows,
      events: await this.personal.reveal(
        this.pool,
        events.rows.map((row) => envelopeFromRow(eventRegistry, row)),
      ),
      notification,
    };
  }
}
