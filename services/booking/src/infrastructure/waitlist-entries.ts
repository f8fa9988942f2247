import { CommandHandler, type EventStore } from '@cs/eventing';
import { type PoolClient } from 'pg';
import { type WaitlistCommand, waitlistDecider } from '../domain/waitlist/decide';
import {
  type WaitlistEntry,
  type WaitlistEvent,
  openOffer,
  waitlistStreamId,
} from '../domain/waitlist/waitlist-entry';
import { type BookingDetails } from './booking-details';

/** Contact details and place of the client waiting: shown by the API, kept out of the event log. */
export type WaitlistDetails = Pick<BookingDetails, 'client' | 'location'>;

export interface WaitlistRow {
  entry_id: string;
  line: string;
  status: 'waiting' | 'booked';
  service_id: string;
  pro_id: string | null;
  territory_id: string | null;
  window_from: Date;
  window_to: Date;
  client_id: string;
  details: WaitlistDetails;
  offers: Array<{
    offerId: string;
    proId: string;
    start: string;
    end: string;
    expiresAt: string;
    status: string;
  }>;
  booking_id: string | null;
  version: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

export async function findEntry(
  db: Pick<PoolClient, 'query'>,
  entryId: string,
): Promise<WaitlistRow | undefined> {
  const { rows } = await db.query<WaitlistRow>(
    'SELECT * FROM waitlist_entries WHERE entry_id = $1',
    [entryId],
  );
  return rows[0];
}

async function save(
  tx: PoolClient,
  state: Exclude<WaitlistEntry, { status: 'none' }>,
  version: number,
  recordedAt: string,
  details: WaitlistDetails | undefined,
): Promise<void> {
  const { request } = state;
  const offers = state.offers.map((o) => ({
    ...o,
    start: iso(o.start),
    end: iso(o.end),
    expiresAt: iso(o.expiresAt),
  }));
  const open = openOffer(state);
  await tx.query(
    `INSERT INTO waitlist_entries (entry_id, status, service_id, pro_id, territory_id, window_from,
       window_to, client_id, details, offers, open_offer_expires_at, booking_id, version, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (entry_id) DO UPDATE SET status = excluded.status, offers = excluded.offers,
       open_offer_expires_at = excluded.open_offer_expires_at, booking_id = excluded.booking_id,
       version = excluded.version`,
    [
      state.entryId,
      state.status,
      request.serviceId,
      request.proId,
      request.territoryId,
      iso(request.window.from),
      iso(request.window.to),
      request.clientId,
      JSON.stringify(details ?? {}),
      JSON.stringify(offers),
      open ? iso(open.expiresAt) : null,
      state.status === 'booked' ? state.bookingId : null,
      version,
      recordedAt,
    ],
  );
}

/**
 * One command on one waitlist entry inside the caller's transaction, through the CommandHandler:
 * the entry is locked, loaded, decided on, appended with the version loaded and its row
 * rewritten. Callers that also touch a Pro schedule lock the schedule first, so the two kinds of
 * lock are always taken in one order.
 */
export async function executeWaitlist(
  tx: PoolClient,
  store: EventStore,
  command: WaitlistCommand,
  details?: WaitlistDetails,
): Promise<WaitlistEvent[]> {
  const entries = new CommandHandler(store, waitlistDecider, { lock: true });
  const result = await entries.handleWith(tx, waitlistStreamId(command.entryId), command, {
    also: async (_tx, { state, version, events }) => {
      if (state.status !== 'none') {
        await save(tx, state, version, events.at(-1)!.recordedAt, details);
      }
    },
  });
  return result.decided;
}
