import { RuleViolation } from '@cs/contracts';
import { newId, type PersonalData } from '@cs/eventing';
import { packageAlternatives } from '../../domain/package/package-alternatives';
import { SlotUnavailable } from '../../domain/pro-schedule/errors';
import { appointmentsOf } from '../../domain/pro-schedule/placement';
import { activeBookings } from '../../domain/pro-schedule/pro-schedule';
import { problemOf, slotUnavailable } from '../../infrastructure/booking-problems';
import { bookingView } from '../../infrastructure/booking-reads';
import { type ScheduleTransaction } from '../../infrastructure/schedule-transaction';
import { proIdsOf } from '../book-appointment/booking-request';
import { reserveBooking } from '../book-appointment/reserve-booking';
import { type PackageRequestBody } from './package-request';

type ItemFate =
  | { index: number; status: 'booked'; booking: ReturnType<typeof bookingView> }
  | { index: number; status: 'unavailable'; alternatives: unknown };

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Books every item of a package, each its own booking carrying the package id. Atomic: all or
 * none, the refusal naming each item that could not be booked; otherwise the free ones.
 */
export async function reservePackage(
  schedules: ScheduleTransaction,
  body: PackageRequestBody,
  holdUntil: (hold: boolean) => number | null,
  personal: PersonalData,
) {
  const packageId = body.packageId ?? newId();
  // Every lock first, in one order: two packages over the same Pros never wait on each other.
  await schedules.lock(body.items.flatMap(proIdsOf));
  const fates: ItemFate[] = [];
  const bookingIds: string[] = [];
  for (const [index, item] of body.items.entries()) {
    const bookingId = newId();
    bookingIds.push(bookingId);
    const reservation = {
      bookingId,
      start: Date.parse(item.start),
      holdUntil: holdUntil(item.hold),
      seriesId: null,
      packageId,
    };
    try {
      await schedules.tentatively(() => reserveBooking(schedules, item, reservation, personal));
      const booking = bookingView((await schedules.booking(bookingId))!);
      fates.push({ index, status: 'booked', booking });
    } catch (error) {
      if (error instanceof RuleViolation) {
        throw new RuleViolation(
          error.violations.map((v) => ({ ...v, field: `items.${index}.${v.field}` })),
        );
      }
      if (!(error instanceof SlotUnavailable)) throw error;
      fates.push({
        index,
        status: 'unavailable',
        alternatives: problemOf(error)!.problem.alternatives,
      });
    }
  }
  const refused = fates.filter((f) => f.status === 'unavailable');
  if (refused.length === fates.length || (body.atomic && refused.length > 0)) {
    throw slotUnavailable(
      `${refused.length} of ${fates.length} items cannot be booked`,
      await alternativesFor(schedules, body, bookingIds),
      { packageId, items: refused },
    );
  }
  return { packageId, atomic: body.atomic, items: fates };
}

/** For a package with one Pro: the nearest times the whole package fits, its gaps kept. */
async function alternativesFor(
  schedules: ScheduleTransaction,
  body: PackageRequestBody,
  bookingIds: readonly string[],
) {
  const proIds = new Set(body.items.flatMap(proIdsOf));
  if (proIds.size !== 1 || body.items.some((i) => i.proIds && i.proIds.length > 1)) return [];
  const proId = [...proIds][0]!;
  const items = body.items.map((i) => ({ serviceId: i.serviceId, start: Date.parse(i.start) }));
  const earliest = Math.min(...items.map((i) => i.start));
  const inputs = await schedules.inputs(proId, earliest);
  if (!inputs) return [];
  const others = activeBookings(await schedules.schedule(proId), schedules.now).filter(
    (b) => !bookingIds.includes(b.bookingId),
  );
  const first = body.items[0]!;
  return packageAlternatives(
    items,
    {
      emergency: first.priority === 'emergency',
      override: false,
      location: first.location ? { lat: first.location.lat, lng: first.location.lng } : null,
    },
    inputs,
    appointmentsOf(others, inputs.places),
    schedules.now,
  ).map((slot) => ({
    start: iso(slot.start),
    end: iso(slot.end),
    proIds: [proId],
    items: slot.items.map((i) => ({
      serviceId: i.serviceId,
      start: iso(i.start),
      end: iso(i.end),
    })),
  }));
}
