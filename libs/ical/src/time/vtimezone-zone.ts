import ICAL from 'ical.js';
import { type TimeZone } from './time-zone';

interface ZoneChange {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  utcOffset: number;
  prevUtcOffset: number;
}

/**
 * A zone defined by a VTIMEZONE component (Outlook's "Customized Time Zone", or any name
 * the tz database does not know). ical.js expands its observances into UTC change points.
 */
export function vtimezoneZone(component: ICAL.Component): TimeZone {
  const timezone = new ICAL.Timezone({ component });
  return {
    id: timezone.tzid,
    offsetAt(epochMs) {
      timezone._ensureCoverage(new Date(epochMs).getUTCFullYear() + 1);
      const changes = timezone.changes as ZoneChange[];
      if (changes.length === 0) return 0;
      let low = 0;
      let high = changes.length - 1;
      if (changeInstant(changes[0]) > epochMs) return changes[0].prevUtcOffset * 1_000;
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if (changeInstant(changes[mid]) <= epochMs) low = mid;
        else high = mid - 1;
      }
      return changes[low].utcOffset * 1_000;
    },
  };
}

function changeInstant(change: ZoneChange): number {
  return Date.UTC(
    change.year,
    change.month - 1,
    change.day,
    change.hour,
    change.minute,
    change.second,
  );
}
