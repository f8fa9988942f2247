import { newId, type PersonalData } from '@cs/eventing';
import { SlotUnavailable } from '../../domain/pro-schedule/errors';
import { occurrenceStarts } from '../../domain/series/occurrences';
import { problemOf, slotUnavailable } from '../../infrastructure/booking-problems';
import { bookingView } from '../../infrastructure/booking-reads';
import { type ScheduleTransaction } from '../../infrastructure/schedule-transaction';
import { type BookingRequestBody, proIdsOf } from './booking-request';
import { type Reservation, reserveBooking } from './reserve-booking';

interface Fate {
  bookingId: string | null;
  start: string;
  end: string | null;
  status: string;
  alternatives?: unknown;
}

/**
 * Books every occurrence of a recurring booking, each its own booking in one series.
 * `reject`: all or none, naming the occurrences that could not be booked; `skip`: the free
 * ones, listing the fate of each.
 */
export async function reserveSeries(
  schedules: ScheduleTransaction,
  body: BookingRequestBody,
  recurrence: NonNullable<BookingRequestBody['recurrence']>,
  first: Reservation,
  personal: PersonalData,
) {
  const proIds = proIdsOf(body);
  const inputs = await schedules.inputs(proIds[0]!, first.start);
  const timeZone = body.client.timeZone ?? inputs?.settings.timeZone ?? 'UTC';
  const starts = occurrenceStarts(recurrence.rrule, first.start, timeZone);
  const seriesId = first.bookingId;
  const fates: Fate[] = [];
  for (const [index, start] of starts.entries()) {
    const bookingId = index === 0 ? first.bookingId : newId();
    const occurrence = { ...body, start: new Date(start).toISOString() };
    try {
      await schedules.tentatively(() =>
        reserveBooking(schedules, occurrence, { ...first, bookingId, start, seriesId }, personal),
      );
      const row = (await schedules.booking(bookingId))!;
      fates.push({
        bookingId,
        start: row.start_at.toISOString(),
        end: row.end_at.toISOString(),
        status: row.status,
      });
    } catch (error) {
      if (!(error instanceof SlotUnavailable)) throw error;
      const problem = problemOf(error)!.problem;
      fates.push({
        bookingId: null,
        start: new Date(start).toISOString(),
        end: null,
        status: recurrence.onConflict === 'skip' ? 'skipped' : 'unavailable',
        alternatives: problem.alternatives,
      });
    }
  }
  const booked = fates.filter((f) => f.bookingId !== null);
  if (booked.length === 0 || (recurrence.onConflict === 'reject' && booked.length < fates.length)) {
    throw slotUnavailable(
      `${fates.length - booked.length} of ${fates.length} occurrences cannot be booked`,
      [],
      { occurrences: fates },
    );
  }
  const firstBooked = (await schedules.booking(booked[0]!.bookingId!))!;
  return {
    ...bookingView(firstBooked),
    seriesId,
    occurrences: fates.map(({ alternatives: _alternatives, ...fate }) => fate),
  };
}
