import type { Envelope, EventData, personErased } from '@cs/contracts';
import type { TableNames } from '@cs/eventing';
import type { PoolClient } from 'pg';
import type { ChangeSet } from './availability-changes';
import { around, fromNowOn } from './change-spans';
import type { ScheduleTable } from './schedule-table';

/**
 * `person.erased` (docs/adr/0008): the places this model opened for the person go, as a rebuild
 * would now find them. Their bookings keep their times; travel to and from them counts as none.
 */
export async function applyPersonErased(
  envelope: Envelope,
  tx: PoolClient,
  tables: TableNames<ScheduleTable>,
  changes: ChangeSet,
): Promise<void> {
  if (envelope.type !== 'person.erased') return;
  const { kind, personId } = envelope.data as EventData<typeof personErased>;
  if (kind === 'client') {
    const { rows } = await tx.query<{ pro_id: string; start_at: Date; end_at: Date }>(
      `UPDATE ${tables.appointments} SET location = NULL
        WHERE client_id = $1 AND location IS NOT NULL RETURNING pro_id, start_at, end_at`,
      [personId],
    );
    for (const row of rows) {
      const span = around(row.start_at.getTime(), row.end_at.getTime());
      changes.add(row.pro_id, span.from, span.to);
    }
    return;
  }
  const { rowCount } = await tx.query(
    `UPDATE ${tables.pros} SET settings = jsonb_set(settings, '{homeLocation}', 'null')
      WHERE pro_id = $1 AND settings->'homeLocation' <> 'null'`,
    [personId],
  );
  if (rowCount) {
    const span = fromNowOn(envelope.recordedAt);
    changes.add(personId, span.from, span.to);
  }
}
