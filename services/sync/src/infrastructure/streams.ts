/** Event streams this service writes: one per calendar, booking mirror and conflict. */
export const calendarStreamId = (calendarId: string) => `calendar-${calendarId}`;
export const connectionSyncStreamId = (connectionId: string) => `connection-sync-${connectionId}`;
export const mirrorStreamId = (bookingId: string) => `booking-mirror-${bookingId}`;
export const conflictStreamId = (conflictId: string) => `sync-conflict-${conflictId}`;
export const proSyncStreamId = (proId: string) => `pro-sync-${proId}`;
