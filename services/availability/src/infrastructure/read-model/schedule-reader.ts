import { Inject, Injectable } from '@nestjs/common';
import type { TerritorySettings } from '../../domain/territory/territory';
import type { OpenedProSettings } from '../../domain/pro/pro';
import { PG_POOL } from '@cs/eventing';
import type { Appointment, ExternalEvent, TerritoryRules } from '@cs/scheduling';
import { Pool } from 'pg';
import { territoriesProjection } from '../territories.projection';
import type { StoredExternalEvent } from './apply-calendar-event';
import { schedulesProjection } from './schedules.projection';

export interface ScheduledAppointment extends Appointment {
  /** A hold stops counting when it expires, even before `booking.hold_expired` arrives. */
  readonly holdExpiresAt: number | null;
  /** Whether the client lets the platform move this booking (optimisation, conflicts). */
  readonly allowAutoReschedule: boolean;
}

export interface KnownCalendar {
  readonly calendarId: string;
  readonly lastSyncedAt: number | null;
  readonly state: string;
}

export interface RecordedAbsence {
  readonly absenceId: string;
  readonly start: number;
  readonly end: number;
}

/** Everything the read model knows about one Pro, in the engine's terms (epoch milliseconds). */
export interface ProSchedule {
  readonly proId: string;
  readonly version: number;
  readonly settings: OpenedProSettings;
  readonly territory: TerritoryRules | null;
  readonly absences: readonly RecordedAbsence[];
  readonly externalEvents: readonly ExternalEvent[];
  readonly appointments: readonly ScheduledAppointment[];
  readonly calendars: readonly KnownCalendar[];
}

const table = (name: keyof typeof schedulesProjection.tables) =>
  `proj_${schedulesProjection.name}_${name}`;
const territories = `proj_${territoriesProjection.name}_territories`;

@Injectable()
export class ScheduleReader {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async load(proId: string): Promise<ProSchedule | null> {
    const [pro, absences, events, appointments, calendars] = await Promise.all([
      this.pool.query<{
        settings: OpenedProSettings;
        version: number;
        territory: TerritorySettings | null;
      }>(
        `SELECT p.settings, p.version, t.settings AS territory FROM ${table('pros')} p
         LEFT JOIN ${territories} t ON t.territory_id = p.territory_id WHERE p.pro_id = $1`,
        [proId],
      ),
      this.pool.query<{ absence_id: string; start_at: Date; end_at: Date }>(
        `SELECT absence_id, start_at, end_at FROM ${table('absences')} WHERE pro_id = $1 ORDER BY start_at`,
        [proId],
      ),
      this.pool.query<{ event: StoredExternalEvent }>(
        `SELECT event FROM ${table('external_events')} WHERE pro_id = $1`,
        [proId],
      ),
      this.pool.query<{
        booking_id: string;
        kind: 'booking' | 'hold';
        service_id: string;
        start_at: Date;
        end_at: Date;
        buffer_before_minutes: number;
        buffer_after_minutes: number;
        location: { lat: number; lng: number } | null;
        hold_expires_at: Date | null;
        auto_reschedule: boolean;
      }>(`SELECT * FROM ${table('appointments')} WHERE pro_id = $1 ORDER BY start_at`, [proId]),
      this.pool.query<{ calendar_id: string; last_synced_at: Date | null; state: string }>(
        `SELECT calendar_id, last_synced_at, state FROM ${table('calendars')} WHERE pro_id = $1 ORDER BY calendar_id`,
        [proId],
      ),
    ]);
    const row = pro.rows[0];
    if (!row) return null;
    return {
      proId,
      version: row.version,
      settings: row.settings,
      territory: row.territory,
      absences: absences.rows.map((a) => ({
        absenceId: a.absence_id,
        start: a.start_at.getTime(),
        end: a.end_at.getTime(),
      })),
      externalEvents: events.rows.map((r) => r.event),
      appointments: appointments.rows.map((a) => ({
        bookingId: a.booking_id,
        kind: a.kind,
        serviceId: a.service_id,
        start: a.start_at.getTime(),
        end: a.end_at.getTime(),
        bufferBeforeMinutes: a.buffer_before_minutes,
        bufferAfterMinutes: a.buffer_after_minutes,
        location: a.location,
        holdExpiresAt: a.hold_expires_at?.getTime() ?? null,
        allowAutoReschedule: a.auto_reschedule,
      })),
      calendars: calendars.rows.map((c) => ({
        calendarId: c.calendar_id,
        lastSyncedAt: c.last_synced_at?.getTime() ?? null,
        state: c.state,
      })),
    };
  }

  async prosIn(territoryId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ pro_id: string }>(
      `SELECT pro_id FROM ${table('pros')} WHERE territory_id = $1 ORDER BY pro_id`,
      [territoryId],
    );
    return rows.map((r) => r.pro_id);
  }

  async territoryOf(proId: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ territory_id: string }>(
      `SELECT territory_id FROM ${table('pros')} WHERE pro_id = $1`,
      [proId],
    );
    return rows[0]?.territory_id ?? null;
  }
}
