import { MS_PER_MINUTE } from '@cs/ical';
import {
  type AvailabilityQuery,
  allowedStarts,
  fullDays,
  proContext,
  slotsOf,
} from '../slots/availability';
import { allows, withoutStartsIn } from '../slots/start-ranges';

export interface PackageItem {
  readonly serviceId: string;
  /** Minutes between the end of this item and the start of the next (default 0: back to back). */
  readonly gapAfterMinutes?: number;
}

export interface PackageSlot {
  readonly start: number;
  readonly end: number;
  readonly items: readonly {
    readonly serviceId: string;
    readonly start: number;
    readonly end: number;
  }[];
}

/**
 * Starts at which a whole package of services fits one after another for one client:
 * each item inside a window that allows it and clear of the Pro's busy time by the gap
 * rule. Between items of the package only the set gaps apply (same client, same place).
 * Every item counts towards the daily booking limit.
 */
export function sequenceSlots(
  query: Omit<AvailabilityQuery, 'serviceId'>,
  items: readonly PackageItem[],
): PackageSlot[] {
  if (items.length === 0) return [];
  let offset = 0;
  const steps = items.map((item) => {
    const context = proContext({ ...query, serviceId: item.serviceId });
    const step = { item, context, offset, ranges: allowedStarts(context) };
    offset += context.placement.durationMs + (item.gapAfterMinutes ?? 0) * MS_PER_MINUTE;
    return step;
  });
  const [first, ...rest] = steps;
  const { zone, dailyLimit } = first.context;
  const ranges = withoutStartsIn(
    first.ranges,
    fullDays(query.bookings, zone, dailyLimit, items.length),
  );
  return slotsOf(first.context, ranges)
    .filter((slot) => rest.every((s) => allows(s.ranges, slot.start + s.offset)))
    .map((slot) => {
      const placed = steps.map((s) => ({
        serviceId: s.item.serviceId,
        start: slot.start + s.offset,
        end: slot.start + s.offset + s.context.placement.durationMs,
      }));
      return { start: slot.start, end: placed[placed.length - 1].end, items: placed };
    });
}
