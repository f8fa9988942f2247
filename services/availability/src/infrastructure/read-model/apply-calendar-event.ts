import type {
  EventData,
  Envelope,
  calendarEventRemoved,
  calendarEventUpserted,
  calendarSyncStateChanged,
  calendarSynced,
} from '@cs/contracts';
import type { TableNames } from '@cs/eventing';
import { roughSpan } from '@cs/scheduling';
import type { PoolClient } from 'pg';
import type { ChangeSet } from './availability-changes';
import { DAY_MS, around, fromNowOn } from './change-spans';
import type { ScheduleTable } from './schedule-table';

export type StoredExternalEvent = Omit<EventData<typeof calendarEventUpserted>, 'proId'>;

/** A series repeats for as long as it likes; its changes reach a booking horizon ahead. */
function spanOf(event: StoredExternalEvent): { from: number; to: number } {
  const { start, end } = roughSpan(event.start, event.end);
  const series = (event.rrule !== null || event.rdates.length > 0) && event.recurrenceId === null;
  return around(start, series ? start + 730 * DAY_MS : end);
}

type Upserted = EventData<typeof calendarEventUpserted>;

/**
 * A run of `calendar.event_upserted` in three statements rather than three per event: a
 * calendar's first sync brings thousands at once, and catch-up must keep pace (docs/design.md §7).
 */
export async function applyUpsertedEvents(
  envelopes: readonly Envelope[],
  tx: PoolClient,
  tables: TableNames<ScheduleTable>,
  changes: ChangeSet,
): Promise<void> {
  const latest = new Map<string, Upserted>();
  for (const envelope of envelopes) {
    const data = envelope.data as Upserted;
    const { proId, ...event } = data;
    const span = spanOf(event);
    changes.add(proId, span.from, span.to);
    latest.set(
      JSON.stringify([proId, data.calendarId, data.eventUid, data.recurrenceId ?? '']),
      data,
    );
  }
  const rows = [...latest.values()];
  const keys = [
    rows.map((r) => r.proId),
    rows.map((r) => r.calendarId),
    rows.map((r) => r.eventUid),
    rows.map((r) => r.recurrenceId ?? ''),
  ];
  const previous = await tx.query<{ pro_id: string; event: StoredExternalEvent }>(
    `SELECT e.pro_id, e.event FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS k(p, c, u, r)
       JOIN ${tables.external_events} e
         ON e.pro_id = k.p AND e.calendar_id = k.c AND e.event_uid = k.u AND e.recurrence_id = k.r`,
    keys,
  );
  for (const { pro_id, event } of previous.rows) {
    const span = spanOf(event);
    changes.add(pro_id, span.from, span.to);
  }
  // One JSON document parses far faster than an array of JSON texts.
  await tx.query(
    `INSERT INTO ${tables.external_events} (pro_id, calendar_id, event_uid, recurrence_id, event)
     SELECT x->>'proId', x->>'calendarId', x->>'eventUid', coalesce(x->>'recurrenceId', ''), x - 'proId'
       FROM jsonb_array_elements($1::jsonb) AS x
     ON CONFLICT (pro_id, calendar_id, event_uid, recurrence_id) DO UPDATE SET event = excluded.event`,
    [JSON.stringify(rows)],
  );
  // A calendar seen only through its events has never been synced, as far as we know.
  const calendars = new Map(rows.map((r) => [JSON.stringify([r.proId, r.calendarId]), r]));
  await tx.query(
    `INSERT INTO ${tables.calendars} (pro_id, calendar_id, connection_id, last_synced_at, state)
     SELECT pro_id, calendar_id, NULL, NULL, 'ok' FROM unnest($1::text[], $2::text[]) AS c(pro_id, calendar_id)
     ON CONFLICT DO NOTHING`,
    [[...calendars.values()].map((r) => r.proId), [...calendars.values()].map((r) => r.calendarId)],
  );
}

/** `calendar.*` events from sync: external events (series kept whole) and calendar freshness. */
export async function applyCalendarEvent(
  envelope: Envelope,
  tx: PoolClient,
  tables: TableNames<ScheduleTable>,
  changes: ChangeSet,
): Promise<void> {
  switch (envelope.type) {
    case 'calendar.event_upserted':
      return applyUpsertedEvents([envelope], tx, tables, changes);
    case 'calendar.event_removed': {
      const { proId, calendarId, eventUid, recurrenceId } = envelope.data as EventData<
        typeof calendarEventRemoved
      >;
      const key = [proId, calendarId, eventUid];
      if (recurrenceId === null) {
        const { rows } = await tx.query<{ event: StoredExternalEvent }>(
          `DELETE FROM ${tables.external_events} WHERE pro_id = $1 AND calendar_id = $2 AND event_uid = $3 RETURNING event`,
          key,
        );
        for (const { event } of rows) {
          const span = spanOf(event);
          changes.add(proId, span.from, span.to);
        }
        return;
      }
      const { rows } = await tx.query<{ event: StoredExternalEvent }>(
        `SELECT event FROM ${tables.external_events} WHERE pro_id = $1 AND calendar_id = $2 AND event_uid = $3 AND recurrence_id = ''`,
        key,
      );
      const series = rows[0]?.event;
      if (series && (series.rrule !== null || series.rdates.length > 0)) {
        // One occurrence of a series is gone: a cancelled override keeps expansion from producing it.
        const cancelled: StoredExternalEvent = {
          ...series,
          recurrenceId,
          status: 'cancelled',
          rrule: null,
          rdates: [],
          exdates: [],
        };
        const { start, end } = roughSpan(recurrenceId, recurrenceId);
        await tx.query(
          `INSERT INTO ${tables.external_events} (pro_id, calendar_id, event_uid, recurrence_id, event) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (pro_id, calendar_id, event_uid, recurrence_id) DO UPDATE SET event = excluded.event`,
          [...key, recurrenceId, JSON.stringify(cancelled)],
        );
        const span = around(start, end);
        changes.add(proId, span.from, span.to);
        return;
      }
      const removed = await tx.query<{ event: StoredExternalEvent }>(
        `DELETE FROM ${tables.external_events} WHERE pro_id = $1 AND calendar_id = $2 AND event_uid = $3 AND recurrence_id = $4 RETURNING event`,
        [...key, recurrenceId],
      );
      for (const { event } of removed.rows) {
        const span = spanOf(event);
        changes.add(proId, span.from, span.to);
      }
      return;
    }
    case 'calendar.synced': {
      const { proId, calendarId, connectionId, syncedAt } = envelope.data as EventData<
        typeof calendarSynced
      >;
      await tx.query(
        `INSERT INTO ${tables.calendars} (pro_id, calendar_id, connection_id, last_synced_at, state) VALUES ($1, $2, $3, $4, 'ok')
         ON CONFLICT (pro_id, calendar_id) DO UPDATE SET connection_id = excluded.connection_id,
           last_synced_at = GREATEST(${tables.calendars}.last_synced_at, excluded.last_synced_at)`,
        [proId, calendarId, connectionId, syncedAt],
      );
      const span = fromNowOn(envelope.recordedAt);
      changes.add(proId, span.from, span.to);
      return;
    }
    case 'calendar.sync_state_changed': {
      const { proId, calendarId, connectionId, state } = envelope.data as EventData<
        typeof calendarSyncStateChanged
      >;
      await tx.query(
        `INSERT INTO ${tables.calendars} (pro_id, calendar_id, connection_id, last_synced_at, state) VALUES ($1, $2, $3, NULL, $4)
         ON CONFLICT (pro_id, calendar_id) DO UPDATE SET connection_id = excluded.connection_id, state = excluded.state`,
        [proId, calendarId, connectionId, state],
      );
      const span = fromNowOn(envelope.recordedAt);
      changes.add(proId, span.from, span.to);
      return;
    }
    default:
      return;
  }
}
