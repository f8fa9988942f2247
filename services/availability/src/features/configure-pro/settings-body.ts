import { timeZoneId } from '@cs/platform';
import { z } from 'zod';
import { type ProSettingsInput, settingsViolations } from '../../domain/pro/validate-settings';

const localTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM (24:00 allowed as an end)');
const id = z.string().min(1).max(200);
const minutes = z.number().int().min(0).max(1440);

const settingsShape = z.object({
  timeZone: timeZoneId,
  territoryId: id,
  homeLocation: z
    .object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) })
    .nullish(),
  services: z
    .array(
      z.object({
        serviceId: id,
        // Checked by the domain, so that a missing duration is a 422 naming the service.
        durationMinutes: z.number().int().positive().max(1440).nullish(),
        bufferBeforeMinutes: minutes.optional(),
        bufferAfterMinutes: minutes.optional(),
      }),
    )
    .max(100),
  weeklyHours: z
    .array(
      z.object({
        days: z.array(z.enum(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'])).min(1),
        start: localTime,
        end: localTime,
        serviceIds: z.array(id).nullish(),
        emergencyOnly: z.boolean().optional(),
        repeat: z
          .object({
            everyWeeks: z.number().int().positive().max(52),
            startingWeekOf: z.string().date(),
          })
          .nullish(),
      }),
    )
    .max(100),
  dateOverrides: z
    .array(
      z.object({
        date: z.string().date(),
        windows: z.array(z.object({ start: localTime, end: localTime })).max(20),
      }),
    )
    .max(1000)
    .optional(),
  minNoticeMinutes: z.number().int().min(0).nullish(),
  horizonDays: z.number().int().positive().max(730).nullish(),
  maxBookingsPerDay: z.number().int().positive().max(100).nullish(),
  slotStepMinutes: z.number().int().positive().max(1440).optional(),
  worksOnHolidays: z.boolean().optional(),
  staleSourcePolicy: z.enum(['ignore', 'unavailable']).optional(),
});

export type SettingsBody = z.infer<typeof settingsShape>;

// The domain's rules run inside the same validation, so one answer names structural and rule
// problems alike. The zone is checked on its field (that check survives a bad sibling field);
// the territory by whoever can look it up.
function settingsRules(body: SettingsBody, ctx: z.RefinementCtx): void {
  for (const violation of settingsViolations(toSettings(body, null), true)) {
    if (violation.field === 'timeZone') continue;
    ctx.addIssue({ code: 'custom', path: violation.field.split('.'), message: violation.message });
  }
}

/** The body of `PUT /v1/pros/{proId}` (docs/api.md); what it leaves out takes the documented default. */
export const settingsBody = settingsShape.superRefine(settingsRules);

/** The same, also naming a territory that `territoryExists` does not know. */
export const settingsBodyIn = (territoryExists: (territoryId: string) => Promise<boolean>) =>
  settingsShape
    .extend({
      territoryId: id.refine(territoryExists, (territoryId) => ({
        message: `unknown territory "${territoryId}"`,
      })),
    })
    .superRefine(settingsRules);

/** The body as the event records it, the home given as sealed by the caller (docs/adr/0008). */
export function toSettings(
  body: SettingsBody,
  homeLocation: ProSettingsInput['homeLocation'],
): ProSettingsInput {
  return {
    timeZone: body.timeZone,
    territoryId: body.territoryId,
    homeLocation,
    services: body.services.map((s) => ({
      serviceId: s.serviceId,
      durationMinutes: s.durationMinutes ?? null,
      bufferBeforeMinutes: s.bufferBeforeMinutes ?? 0,
      bufferAfterMinutes: s.bufferAfterMinutes ?? 0,
    })),
    weeklyHours: body.weeklyHours.map((w) => ({
      days: w.days,
      start: w.start,
      end: w.end,
      serviceIds: w.serviceIds ?? null,
      emergencyOnly: w.emergencyOnly ?? false,
      repeat: w.repeat ?? null,
    })),
    dateOverrides: body.dateOverrides ?? [],
    minNoticeMinutes: body.minNoticeMinutes ?? null,
    horizonDays: body.horizonDays ?? null,
    maxBookingsPerDay: body.maxBookingsPerDay ?? null,
    slotStepMinutes: body.slotStepMinutes ?? 15,
    worksOnHolidays: body.worksOnHolidays ?? false,
    staleSourcePolicy: body.staleSourcePolicy ?? 'ignore',
  };
}
