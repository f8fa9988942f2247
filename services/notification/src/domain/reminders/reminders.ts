import { type Channel } from '../delivery/delivery';

export const DEFAULT_REMINDER_OFFSETS_MINUTES: readonly number[] = [24 * 60, 2 * 60];
const MS_PER_MINUTE = 60_000;

export interface PlannedReminder {
  offsetMinutes: number;
  channel: Channel;
  dueAt: number;
}

/**
 * The client's preference wins over the territory's defaults, which win over ours. An empty
 * list is a choice: no reminders.
 */
export function reminderOffsets(
  clientPreference: readonly number[] | null,
  territoryDefaults: readonly number[] | null,
): number[] {
  const chosen = clientPreference ?? territoryDefaults ?? DEFAULT_REMINDER_OFFSETS_MINUTES;
  return [...new Set(chosen.filter((offset) => Number.isInteger(offset) && offset > 0))].sort(
    (a, b) => b - a,
  );
}

/**
 * Reminders for an appointment starting at `start`, booked at `bookedAt`: one per offset and
 * channel, except those whose moment had already passed when the booking was made.
 */
export function planReminders(
  start: number,
  bookedAt: number,
  offsets: readonly number[],
  channels: readonly Channel[],
): PlannedReminder[] {
  return offsets.flatMap((offsetMinutes) => {
    const dueAt = start - offsetMinutes * MS_PER_MINUTE;
    if (dueAt <= bookedAt) return [];
    return channels.map((channel) => ({ offsetMinutes, channel, dueAt }));
  });
}

/** A reminder found late (the service was down) is still worth sending until the appointment begins. */
export const reminderStillUseful = (appointmentStart: number, now: number): boolean =>
  now < appointmentStart;
