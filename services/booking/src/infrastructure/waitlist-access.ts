import { type Principal, ProblemException } from '@cs/platform';
import { type Pool, type PoolClient } from 'pg';
import { type WaitlistRow } from './waitlist-entries';

/** A service sees every entry, a Pro those naming it, a client only its own; others are missing. */
export function assertCanSeeEntry(
  principal: Principal,
  entry: WaitlistRow | undefined,
  entryId: string,
): WaitlistRow {
  const visible =
    entry &&
    (principal.roles.includes('service') ||
      (principal.roles.includes('pro') && entry.pro_id === principal.proId) ||
      (principal.roles.includes('client') && entry.client_id === principal.clientId));
  if (!visible) {
    throw new ProblemException({
      status: 404,
      type: 'not-found',
      detail: `no waitlist entry ${entryId}`,
    });
  }
  return entry;
}

/** An entry as the API shows it, with its place in line while it waits. */
export function entryView(entry: WaitlistRow, position: number | null) {
  return {
    entryId: entry.entry_id,
    status: entry.status,
    position,
    serviceId: entry.service_id,
    proId: entry.pro_id,
    territoryId: entry.territory_id,
    window: { from: entry.window_from.toISOString(), to: entry.window_to.toISOString() },
    client: entry.details.client,
    location: entry.details.location,
    offers: entry.offers,
    bookingId: entry.booking_id,
    version: entry.version,
  };
}

/** Entries waiting for the same service with the same Pro or territory that joined earlier, plus one. */
export async function positionOf(
  db: Pool | PoolClient,
  entry: WaitlistRow,
): Promise<number | null> {
  if (entry.status !== 'waiting') return null;
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM waitlist_entries
      WHERE status = 'waiting' AND service_id = $1 AND line <= $2
        AND pro_id IS NOT DISTINCT FROM $3 AND territory_id IS NOT DISTINCT FROM $4`,
    [entry.service_id, entry.line, entry.pro_id, entry.territory_id],
  );
  return rows[0]!.n;
}
