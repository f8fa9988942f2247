/**
 * The answers the client types, as docs/api.md gives them: the OpenAPI documents carry no
 * response schemas, and the client may not import the services. The e2e test checks them
 * against a running booking service. An answer not listed here is a plain JSON object.
 */

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: Array<{ field: string; message: string }>;
  [extension: string]: unknown;
}

export interface BookingView {
  bookingId: string;
  status: 'held' | 'confirmed' | 'cancelled' | 'expired';
  proIds: string[];
  serviceId: string;
  start: string;
  end: string;
  version: number;
  holdExpiresAt?: string | null;
  client: { clientId: string; name?: string; email?: string; phone?: string };
  /** Each field reads `[erased]` once the client is erased. */
  location?: { lat: number | '[erased]'; lng: number | '[erased]'; address?: string } | null;
  occurrences?: Array<{ bookingId?: string; start: string; end?: string; status: string }>;
  clientReachable?: boolean | null;
  /** External events that clashed with the booking, and what became of each. */
  conflicts?: Array<{ eventUid: string; resolution: string; alternatives: unknown[] }>;
}

export interface Slot {
  start: string;
  end: string;
  localStart?: string;
  localEnd?: string;
}

export interface BusyInterval {
  kind: string;
  start: string;
  end: string;
  bookingId?: string;
}

export interface CalendarConnection {
  connectionId: string;
  provider: string;
  endpoint?: string;
  calendars: Array<{
    calendarId: string;
    writeTarget?: boolean;
    sync?: { lastSyncedAt: string | null } | null;
  }>;
}

export interface AuditEvent {
  id: string;
  type: string;
  streamId: string;
  streamVersion: number;
  correlationId: string;
  causationId: string | null;
  data: Record<string, unknown>;
}

interface Versioned {
  version: number;
}

type Audit = { 'GET /v1/audit/streams/{streamId}': { events: AuditEvent[] } };

/** Per service, `"METHOD /path"` → what a success answers. */
export interface Answers {
  availability: Audit & {
    'PUT /v1/territories/{territoryId}': Versioned;
    'PUT /v1/pros/{proId}': Versioned;
    'GET /v1/pros/{proId}/availability': { slots: Slot[] };
    'GET /v1/pros/{proId}/busy': { intervals: BusyInterval[] };
  };
  booking: Audit & {
    'POST /v1/bookings': BookingView;
    'GET /v1/bookings': { items: BookingView[] };
    'GET /v1/bookings/{bookingId}': BookingView;
    'POST /v1/bookings/{bookingId}/confirm': BookingView;
    'POST /v1/bookings/{bookingId}/reschedule': BookingView;
    'POST /v1/bookings/{bookingId}/cancel': BookingView;
    'DELETE /v1/people/{kind}/{id}': {
      kind: string;
      id: string;
      keysDestroyed: number;
      erasedAt: string;
    };
  };
  connector: Audit & {
    'POST /v1/pros/{proId}/connections': CalendarConnection;
    'GET /v1/pros/{proId}/connections': { items: CalendarConnection[] };
  };
  notification: Audit;
  sync: Audit;
}
