import { type TimeZone } from '@cs/ical';
import { type BusyInterval } from '../busy/busy-time';
import { type Interval } from '../intervals/intervals';
import { type GeoPoint } from '../model';
import { localDay } from '../time/zone';

export interface Stop {
  readonly end: number;
  readonly start: number;
  readonly location: GeoPoint | null;
  readonly label: string;
  readonly bufferBeforeMs: number;
  readonly bufferAfterMs: number;
}

/**
 * The appointments just before and just after a slot on the same local day, or the Pro's
 * home when there is none (a day starts and ends there).
 */
export function neighboursOf(
  slot: Interval,
  busy: readonly BusyInterval[],
  zone: TimeZone,
  home: GeoPoint | null,
): { before: Stop; after: Stop } {
  const day = localDay(zone, slot.start);
  let low = 0;
  let high = busy.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (busy[mid].start < slot.start) low = mid + 1;
    else high = mid;
  }
  let before: Stop = {
    start: -Infinity,
    end: -Infinity,
    location: home,
    label: 'home',
    bufferBeforeMs: 0,
    bufferAfterMs: 0,
  };
  for (let i = low - 1; i >= 0 && localDay(zone, busy[i].end) >= day; i--) {
    if (
      busy[i].end <= slot.start &&
      busy[i].end > before.end &&
      localDay(zone, busy[i].end) === day
    )
      before = stop(busy[i]);
  }
  let after: Stop = {
    start: Infinity,
    end: Infinity,
    location: home,
    label: 'home',
    bufferBeforeMs: 0,
    bufferAfterMs: 0,
  };
  for (let i = low; i < busy.length; i++) {
    if (busy[i].start >= slot.end) {
      if (localDay(zone, busy[i].start) === day) after = stop(busy[i]);
      break;
    }
  }
  return { before, after };
}

function stop(busy: BusyInterval): Stop {
  return {
    start: busy.start,
    end: busy.end,
    location: busy.location,
    label: busy.bookingId ?? busy.eventUid ?? busy.kind,
    bufferBeforeMs: busy.bufferBeforeMs,
    bufferAfterMs: busy.bufferAfterMs,
  };
}
