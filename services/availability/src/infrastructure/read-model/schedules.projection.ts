import { defineProjection } from '@cs/eventing';
import { ChangeSet } from './availability-changes';
import { applyBookingEvent } from './apply-booking-event';
import { applyCalendarEvent, applyUpsertedEvents } from './apply-calendar-event';
import { applyPersonErased } from './apply-person-erased';
import { applyProEvent } from './apply-pro-event';
import type { ScheduleTable } from './schedule-table';

const appliers: Record<string, typeof applyProEvent | undefined> = {
  pro: applyProEvent,
  calendar: applyCalendarEvent,
  booking: applyBookingEvent,
  person: applyPersonErased,
};

/**
 * Per Pro, what the availability engine needs: settings, absences, external events (recurring
 * ones as series, expanded at query time), source calendars with their freshness, and active
 * bookings and holds. Fed by the availability, sync and booking streams.
 */
export const schedulesProjection = defineProjection<ScheduleTable>({
  name: 'schedules',
  // 3: external events carry wall-clock times for the Pro's zone (calendar.event_upserted v2).
  // 4: places opened from sealed events, and each appointment's client, whose erasure clears it.
  version: 4,
  streams: ['availability', 'sync', 'booking'],
  tables: {
    pros: (t) => `CREATE TABLE ${t} (
      pro_id text PRIMARY KEY,
      territory_id text NOT NULL,
      settings jsonb NOT NULL,
      version integer NOT NULL
    )`,
    absences: (t) => `CREATE TABLE ${t} (
      absence_id text PRIMARY KEY,
      pro_id text NOT NULL,
      start_at timestamptz NOT NULL,
      end_at timestamptz NOT NULL,
      reason text NOT NULL
    );
    CREATE INDEX ON ${t} (pro_id)`,
    // recurrence_id is '' for a single event or a series, the occurrence's time for an override.
    external_events: (t) => `CREATE TABLE ${t} (
      pro_id text NOT NULL,
      calendar_id text NOT NULL,
      event_uid text NOT NULL,
      recurrence_id text NOT NULL,
      event jsonb NOT NULL,
      PRIMARY KEY (pro_id, calendar_id, event_uid, recurrence_id)
    )`,
    calendars: (t) => `CREATE TABLE ${t} (
      pro_id text NOT NULL,
      calendar_id text NOT NULL,
      connection_id text,
      last_synced_at timestamptz,
      state text NOT NULL,
      PRIMARY KEY (pro_id, calendar_id)
    )`,
    appointments: (t) => `CREATE TABLE ${t} (
      booking_id text PRIMARY KEY,
      pro_id text NOT NULL,
      kind text NOT NULL,
      service_id text NOT NULL,
      start_at timestamptz NOT NULL,
      end_at timestamptz NOT NULL,
      buffer_before_minutes integer NOT NULL,
      buffer_after_minutes integer NOT NULL,
      location jsonb,
      hold_expires_at timestamptz,
      auto_reschedule boolean NOT NULL,
      client_id text
    );
    CREATE INDEX ON ${t} (pro_id);
    CREATE INDEX ON ${t} (client_id)`,
  },
  async apply(events, tx, tables, context) {
    const changes = new ChangeSet();
    for (let i = 0; i < events.length;) {
      // Runs of upserted external events go in bulk; everything else one by one, in order.
      let end = i;
      while (end < events.length && events[end]!.envelope.type === 'calendar.event_upserted') end++;
      if (end > i) {
        await applyUpsertedEvents(
          events.slice(i, end).map((e) => e.envelope),
          tx,
          tables,
          changes,
        );
        i = end;
        continue;
      }
      const { envelope } = events[i++]!;
      const apply = appliers[envelope.type.slice(0, envelope.type.indexOf('.'))];
      await apply?.(envelope, tx, tables, changes, context);
    }
    await changes.record(tx, context.live);
  },
});
