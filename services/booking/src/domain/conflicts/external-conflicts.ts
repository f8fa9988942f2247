import { ianaZone } from '@cs/ical';
import { type ExternalEvent, busyTime, greatCircleTravel } from '@cs/scheduling';
import { type ScheduleInputs } from '../pro-schedule/placement';
import { type ProSchedule, type ScheduledBooking } from '../pro-schedule/pro-schedule';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * The confirmed bookings, not yet over at `now`, that an external event (every instance of a
 * recurring one) comes too close to by the gap rule (docs/design.md §3): an external event has no
 * buffers of its own, so the booking's buffers apply, plus travel where both have a place.
 * An event that mirrors one of our bookings, or does not make the Pro busy, is in nobody's way.
 */
export function bookingsInConflict(
  state: ProSchedule,
  event: ExternalEvent,
  inputs: ScheduleInputs,
  now: number,
): ScheduledBooking[] {
  if (event.bookingId !== null) return [];
  const bookings = [...state.bookings.values()].filter(
    (b) => b.status === 'confirmed' && b.end > now,
  );
  const zone = ianaZone(inputs.settings.timeZone);
  if (bookings.length === 0 || !zone) return [];
  const range = {
    start: Math.min(...bookings.map((b) => b.start)) - DAY,
    end: Math.max(...bookings.map((b) => b.end)) + DAY,
  };
  const busy = busyTime({
    bookings: [],
    externalEvents: [event],
    calendars: inputs.calendars,
    range,
    zone,
  });
  const travel = greatCircleTravel({
    averageSpeedKmh: inputs.territory?.averageSpeedKmh ?? undefined,
    detourFactor: inputs.territory?.detourFactor ?? undefined,
  });
  return bookings.filter((b) =>
    busy.some((interval) => {
      const place = inputs.places.get(b.bookingId);
      const travelMs = interval.location && place ? travel(interval.location, place) * MINUTE : 0;
      return (
        interval.start < b.end + b.bufferAfterMinutes * MINUTE + travelMs &&
        b.start < interval.end + b.bufferBeforeMinutes * MINUTE + travelMs
      );
    }),
  );
}
