import { type Appointment, sequenceSlots } from '@cs/scheduling';
import {
  ALTERNATIVES,
  ALTERNATIVES_AFTER,
  ALTERNATIVES_BEFORE,
  type PlacementRequest,
  type ScheduleInputs,
  availabilityQuery,
  durationOf,
  fits,
} from '../pro-schedule/placement';

const MINUTE = 60_000;

export interface PackageItemRequest {
  readonly serviceId: string;
  readonly start: number;
}

export interface PackageAlternative {
  readonly start: number;
  readonly end: number;
  readonly items: readonly { serviceId: string; start: number; end: number }[];
}

/**
 * Other times for a one-Pro package, nearest first: the whole package shifted together, its
 * items keeping their order and the gaps between them. `sequenceSlots` proposes the starts;
 * each proposal is then placed item by item with the full gap rule, since the package's
 * own items are bookings of their own and keep their buffers between each other.
 */
export function packageAlternatives(
  items: readonly PackageItemRequest[],
  base: Omit<PlacementRequest, 'serviceId' | 'start'>,
  inputs: ScheduleInputs,
  bookings: readonly Appointment[],
  now: number,
): PackageAlternative[] {
  const ordered = [...items].sort((a, b) => a.start - b.start);
  const durations = ordered.map((item) => durationOf(inputs, item.serviceId));
  if (ordered.length === 0 || durations.some((d) => d === undefined)) return [];
  const sequence = ordered.map((item, i) => {
    const next = ordered[i + 1];
    const end = item.start + durations[i]!.durationMs;
    return { serviceId: item.serviceId, gapAfterMinutes: next ? (next.start - end) / MINUTE : 0 };
  });
  if (sequence.some((s) => s.gapAfterMinutes < 0)) return [];
  const first = ordered[0]!;
  const request = { ...base, serviceId: first.serviceId, start: first.start, override: false };
  const range = {
    start: Math.max(now, first.start - ALTERNATIVES_BEFORE),
    end: first.start + ALTERNATIVES_AFTER,
  };
  const { serviceId: _serviceId, ...query } = availabilityQuery(
    request,
    inputs,
    bookings,
    now,
    range,
  );
  const nearestFirst = sequenceSlots(query, sequence)
    .filter((slot) => slot.start !== first.start)
    .sort((a, b) => Math.abs(a.start - first.start) - Math.abs(b.start - first.start));
  const found: PackageAlternative[] = [];
  for (const slot of nearestFirst) {
    if (found.length === ALTERNATIVES) break;
    if (placeable(slot, request, inputs, bookings, now))
      found.push({ start: slot.start, end: slot.end, items: slot.items.map((i) => ({ ...i })) });
  }
  return found.sort((a, b) => a.start - b.start);
}

/** Whether every item fits at its place, counting the items placed before it. */
function placeable(
  slot: { items: readonly { serviceId: string; start: number; end: number }[] },
  request: PlacementRequest,
  inputs: ScheduleInputs,
  bookings: readonly Appointment[],
  now: number,
): boolean {
  const placed: Appointment[] = [...bookings];
  for (const [index, item] of slot.items.entries()) {
    const at = { ...request, serviceId: item.serviceId, start: item.start };
    if (!fits(at, inputs, placed, now)) return false;
    const duration = durationOf(inputs, item.serviceId)!;
    placed.push({
      bookingId: `package-item-${index}`,
      kind: 'booking',
      serviceId: item.serviceId,
      start: item.start,
      end: item.end,
      bufferBeforeMinutes: duration.bufferBeforeMinutes,
      bufferAfterMinutes: duration.bufferAfterMinutes,
      location: request.location,
    });
  }
  return true;
}
