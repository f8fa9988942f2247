import { SqlMigration } from '@cs/eventing';

export class BookingWaitlist0000000100002 extends SqlMigration {
  readonly name = 'BookingWaitlist0000000100002';
  override readonly legacyId = '0100-booking-002-waitlist';
  protected readonly sql = `
      -- Each entry as its stream has it, with its place in line and the offers it had.
      CREATE TABLE waitlist_entries (
        entry_id text PRIMARY KEY,
        line bigint GENERATED ALWAYS AS IDENTITY,
        status text NOT NULL,
        service_id text NOT NULL,
        pro_id text,
        territory_id text,
        window_from timestamptz NOT NULL,
        window_to timestamptz NOT NULL,
        client_id text NOT NULL,
        details jsonb NOT NULL,
        offers jsonb NOT NULL,
        open_offer_expires_at timestamptz,
        booking_id text,
        version integer NOT NULL,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX waitlist_entries_in_line ON waitlist_entries (service_id, line) WHERE status = 'waiting';
      CREATE INDEX waitlist_entries_due_offers ON waitlist_entries (open_offer_expires_at)
        WHERE open_offer_expires_at IS NOT NULL;
    `;
}
