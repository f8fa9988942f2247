import { newId } from '@cs/eventing';
import type { DiscoveredCalendar } from '../../domain/provider/calendar-provider';
import type { CalendarRow } from '../../infrastructure/connections/connection-store';

/**
 * The calendars of a new connection, as first recorded: each a busy source that blocks on
 * all-day events; the first writable one receives bookings unless the Pro has a calendar that
 * does already.
 */
export function newCalendarRows(
  connectionId: string,
  discovered: DiscoveredCalendar[],
  proHasWriteTarget: boolean,
): CalendarRow[] {
  const firstWritable = discovered.findIndex((c) => c.writable);
  return discovered.map((c, index) => ({
    calendarId: newId(),
    connectionId,
    url: c.url,
    name: c.name,
    color: c.color,
    writable: c.writable,
    supportsDelta: c.supportsDelta,
    busySource: true,
    writeTarget: !proHasWriteTarget && index === firstWritable,
    allDayBlocks: true,
  }));
}
