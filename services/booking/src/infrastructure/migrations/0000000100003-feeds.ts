import { SqlMigration } from '@cs/eventing';

export class BookingFeeds0000000100003 extends SqlMigration {
  readonly name = 'BookingFeeds0000000100003';
  override readonly legacyId = '0100-booking-003-feeds';
  protected readonly sql = `
      -- Secret iCalendar feeds of a Pro's bookings: only a hash of each token is kept.
      CREATE TABLE pro_feeds (
        feed_id text PRIMARY KEY,
        pro_id text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL,
        revoked_at timestamptz
      );
      CREATE INDEX pro_feeds_by_pro ON pro_feeds (pro_id);
    `;
}
