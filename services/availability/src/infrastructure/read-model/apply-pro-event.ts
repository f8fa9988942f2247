import {
  placeOrNone,
  type EventData,
  type proAbsenceAdded,
  type proAbsenceRemoved,
  type proSettingsReplaced,
  type Envelope,
} from '@cs/contracts';
import type { ApplyContext, TableNames } from '@cs/eventing';
import type { PoolClient } from 'pg';
import type { OpenedProSettings } from '../../domain/pro/pro';
import type { ChangeSet } from './availability-changes';
import { around, fromNowOn } from './change-spans';
import type { ScheduleTable } from './schedule-table';

/** `pro.*` events: settings and absences. */
export async function applyProEvent(
  envelope: Envelope,
  tx: PoolClient,
  tables: TableNames<ScheduleTable>,
  changes: ChangeSet,
  context: ApplyContext,
): Promise<void> {
  switch (envelope.type) {
    case 'pro.settings_replaced': {
      const { proId, settings: recorded } = envelope.data as EventData<typeof proSettingsReplaced>;
      // Opened once here, so queries never touch a key; `person.erased` clears it again.
      const home = await context.reveal(tx, recorded.homeLocation);
      const settings: OpenedProSettings = { ...recorded, homeLocation: placeOrNone(home) };
      await tx.query(
        `INSERT INTO ${tables.pros} (pro_id, territory_id, settings, version) VALUES ($1, $2, $3, $4)
         ON CONFLICT (pro_id) DO UPDATE SET territory_id = excluded.territory_id, settings = excluded.settings, version = excluded.version`,
        [proId, settings.territoryId, JSON.stringify(settings), envelope.streamVersion],
      );
      const span = fromNowOn(envelope.recordedAt);
      changes.add(proId, span.from, span.to);
      return;
    }
    case 'pro.absence_added': {
      const { proId, absenceId, start, end, reason } = envelope.data as EventData<
        typeof proAbsenceAdded
      >;
      await tx.query(
        `INSERT INTO ${tables.absences} (absence_id, pro_id, start_at, end_at, reason) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (absence_id) DO NOTHING`,
        [absenceId, proId, start, end, reason],
      );
      const span = around(Date.parse(start), Date.parse(end));
      changes.add(proId, span.from, span.to);
      return;
    }
    case 'pro.absence_removed': {
      const { proId, absenceId } = envelope.data as EventData<typeof proAbsenceRemoved>;
      const { rows } = await tx.query<{ start_at: Date; end_at: Date }>(
        `DELETE FROM ${tables.absences} WHERE absence_id = $1 RETURNING start_at, end_at`,
        [absenceId],
      );
      for (const row of rows) {
        const span = around(row.start_at.getTime(), row.end_at.getTime());
        changes.add(proId, span.from, span.to);
      }
      return;
    }
    default:
      return;
  }
}
