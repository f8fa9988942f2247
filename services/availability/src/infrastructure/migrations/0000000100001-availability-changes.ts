import { SqlMigration } from '@cs/eventing';

/**
 * A short-lived feed of "this Pro's availability changed between from and to", written by the
 * projections in the same transaction as their rows. It is not part of any read model (a rebuild
 * does not replay it); it drives cache invalidation and the SSE stream across instances, and its
 * sequence is the SSE event id that `Last-Event-ID` resumes from.
 */
export class AvailabilityAvailabilityChanges0000000100001 extends SqlMigration {
  readonly name = 'AvailabilityAvailabilityChanges0000000100001';
  override readonly legacyId = '0100-availability-001-availability-changes';
  protected readonly sql = `CREATE TABLE availability_changes (
    seq bigserial PRIMARY KEY,
    pro_id text,
    territory_id text,
    from_at timestamptz NOT NULL,
    to_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX availability_changes_pro ON availability_changes (pro_id, seq);
  CREATE INDEX availability_changes_territory ON availability_changes (territory_id, seq);`;
}
