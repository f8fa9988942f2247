import { MS_PER_DAY, ianaZone, localToInstant, parseIsoDate } from '@cs/ical';
import { type DayPlan, type MovableAppointment, optimiseDay } from '@cs/scheduling';
import { availabilityQuery } from '../../infrastructure/read-model/engine-input';
import type { ProSchedule } from '../../infrastructure/read-model/schedule-reader';

/**
 * Moves of the Pro's bookings on one local date that cut the day's travel. Only confirmed
 * bookings whose client allowed the platform to move them are movable, anywhere on that day (the
 * booking events carry no narrower window yet); holds and the other bookings stay put.
 */
export function optimizeDay(schedule: ProSchedule, date: string, now: number): DayPlan {
  const { settings, territory, externalEvents, absences, calendars } = availabilityQuery(schedule, {
    serviceId: '',
    range: { start: now, end: now },
    now,
  });
  const zone = ianaZone(settings.timeZone);
  const day = parseIsoDate(date);
  // optimiseDay names a bad zone or date itself.
  const onTheDay =
    zone && day !== null
      ? {
          start: localToInstant(zone, day * MS_PER_DAY),
          end: localToInstant(zone, (day + 1) * MS_PER_DAY),
        }
      : null;
  const appointments: MovableAppointment[] = schedule.appointments
    .filter(
      (a) =>
        (a.holdExpiresAt === null || a.holdExpiresAt > now) &&
        onTheDay !== null &&
        a.start < onTheDay.end &&
        a.end > onTheDay.start,
    )
    .map((a) => ({
      bookingId: a.bookingId,
      kind: a.kind,
      serviceId: a.serviceId,
      start: a.start,
      end: a.end,
      bufferBeforeMinutes: a.bufferBeforeMinutes,
      bufferAfterMinutes: a.bufferAfterMinutes,
      location: a.location,
      movable: a.kind === 'booking' && a.allowAutoReschedule,
      allowedWindow: null,
    }));
  return optimiseDay({
    settings,
    territory,
    now,
    externalEvents,
    absences,
    calendars,
    date,
    appointments,
  });
}
