import type { CalendarRow } from './connection-store';

/** A calendar as events and the API show it: no URL, which may carry a secret. */
export const calendarView = (c: CalendarRow) => ({
  calendarId: c.calendarId,
  name: c.name,
  busySource: c.busySource,
  writeTarget: c.writeTarget,
  allDayBlocks: c.allDayBlocks,
  color: c.color,
  writable: c.writable,
});
