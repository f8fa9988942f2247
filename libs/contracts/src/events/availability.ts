import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { personal } from '../personal-data';
import { geoPoint, id, instant, timeZone } from './common';

const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/);
const weekday = z.enum(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']);

export const proSettingsSchema = z.object({
  timeZone,
  territoryId: id,
  homeLocation: geoPoint.nullable(),
  services: z.array(
    z.object({
      serviceId: id,
      durationMinutes: z.number().int().positive(),
      bufferBeforeMinutes: z.number().int().min(0),
      bufferAfterMinutes: z.number().int().min(0),
    }),
  ),
  weeklyHours: z.array(
    z.object({
      days: z.array(weekday).min(1),
      start: localTime,
      end: localTime,
      serviceIds: z.array(id).nullable(),
      emergencyOnly: z.boolean(),
      repeat: z
        .object({ everyWeeks: z.number().int().positive(), startingWeekOf: z.string().date() })
        .nullable(),
    }),
  ),
  dateOverrides: z.array(
    z.object({
      date: z.string().date(),
      windows: z.array(z.object({ start: localTime, end: localTime })),
    }),
  ),
  minNoticeMinutes: z.number().int().min(0).nullable(),
  horizonDays: z.number().int().positive().nullable(),
  maxBookingsPerDay: z.number().int().positive().nullable(),
  slotStepMinutes: z.number().int().positive(),
  worksOnHolidays: z.boolean(),
  staleSourcePolicy: z.enum(['ignore', 'unavailable']),
});

/** v2: the Pro's home is their personal data, sealed under their key (docs/adr/0008). */
export const recordedProSettings = proSettingsSchema.extend({
  homeLocation: personal(geoPoint).nullable(),
});

interface V1Settings {
  settings: { homeLocation: unknown };
}

/** v1 held the home in clear: it reads as written. */
const homeSealedInV2 = (data: unknown): unknown => {
  const v1 = data as V1Settings;
  const home = v1.settings.homeLocation;
  return {
    ...v1,
    settings: { ...v1.settings, homeLocation: home === null ? null : { clear: home } },
  };
};

export const proSettingsReplaced = defineEvent({
  type: 'pro.settings_replaced',
  context: 'availability',
  schemaVersion: 2,
  upcasters: { 1: homeSealedInV2 },
  schema: z.object({ proId: id, settings: recordedProSettings }),
  proIdOf: (data) => data.proId,
});

export const proAbsenceAdded = defineEvent({
  type: 'pro.absence_added',
  context: 'availability',
  schemaVersion: 1,
  schema: z.object({
    proId: id,
    absenceId: id,
    start: instant,
    end: instant,
    reason: z.string().max(500),
  }),
  proIdOf: (data) => data.proId,
});

export const proAbsenceRemoved = defineEvent({
  type: 'pro.absence_removed',
  context: 'availability',
  schemaVersion: 1,
  schema: z.object({ proId: id, absenceId: id }),
  proIdOf: (data) => data.proId,
});

export const territorySettingsSchema = z.object({
  timeZone,
  holidayRegion: z.string().min(2).max(20),
  averageSpeedKmh: z.number().positive().nullable(),
  detourFactor: z.number().min(1).nullable(),
  serviceRadiusKm: z.number().positive().nullable(),
  defaults: z.object({
    minNoticeMinutes: z.number().int().min(0).nullable(),
    horizonDays: z.number().int().positive().nullable(),
    maxBookingsPerDay: z.number().int().positive().nullable(),
    reminderOffsetsMinutes: z.array(z.number().int().positive()).nullable(),
  }),
});

export const territorySettingsReplaced = defineEvent({
  type: 'territory.settings_replaced',
  context: 'availability',
  schemaVersion: 1,
  schema: z.object({ territoryId: id, settings: territorySettingsSchema }),
});

export const availabilityEvents = [
  proSettingsReplaced,
  proAbsenceAdded,
  proAbsenceRemoved,
  territorySettingsReplaced,
];
