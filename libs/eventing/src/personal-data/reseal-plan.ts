import type { Context, PersonRef } from '@cs/contracts';

/**
 * Whose personal data each event type carries, for sealing what was recorded in clear before
 * sealing existed (docs/adr/0017): the client for a booking's contact and place, the Pro for
 * their home.
 */
const OWNERS: Readonly<Record<string, (data: Record<string, unknown>) => PersonRef | undefined>> = {
  'booking.held': clientOfBooking,
  'booking.confirmed': clientOfBooking,
  'booking.rescheduled': clientOfBooking,
  'pro.settings_replaced': (data) =>
    typeof data.proId === 'string' ? { kind: 'pro', id: data.proId } : undefined,
};

function clientOfBooking(data: Record<string, unknown>): PersonRef | undefined {
  const client = data.client as { clientId?: unknown } | undefined;
  return typeof client?.clientId === 'string' ? { kind: 'client', id: client.clientId } : undefined;
}

/** The event types that may hold personal data in clear. */
export const RESEALABLE_TYPES = Object.keys(OWNERS);

export const ownerOfPersonalData = (type: string, data: unknown): PersonRef | undefined =>
  OWNERS[type]?.(data as Record<string, unknown>);

/** The audit event a service's rewrite is recorded with, and the stream it goes to. */
export function resealAudit(context: Context, person: PersonRef) {
  return context === 'availability'
    ? { type: 'pro.history_resealed', streamId: `resealed-${person.kind}-${person.id}` }
    : { type: 'person.history_resealed', streamId: `person-${person.kind}-${person.id}` };
}

export interface ResealArgs {
  service: 'booking' | 'availability';
  /** The service's PostgreSQL schema (its `DB_SCHEMA`). */
  schema: string;
  reason: string;
  dryRun: boolean;
}

export const RESEAL_USAGE = `npm run personal-data:reseal -- --service booking|availability --reason "<why>" [--schema <DB_SCHEMA>] [--dry-run]

Seals the personal data of events recorded before sealing (docs/adr/0017) in the service's event
store, recording person.history_resealed (booking) or pro.history_resealed (availability) per
person with the event ids, then replaces their messages in JetStream. Reads DATABASE_URL,
NATS_URL, NATS_PREFIX, PERSONAL_DATA_KEYS and PERSONAL_DATA_SCHEMA. Safe to run again.`;

export function parseResealArgs(
  argv: readonly string[],
): { ok: true; args: ResealArgs } | { ok: false; message: string } {
  const values = new Map<string, string>();
  let dryRun = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--dry-run') dryRun = true;
    else if (['--service', '--schema', '--reason'].includes(arg) && argv[i + 1] !== undefined)
      values.set(arg, argv[++i]!);
    else return { ok: false, message: `unknown or incomplete argument ${arg}` };
  }
  const service = values.get('--service');
  if (service !== 'booking' && service !== 'availability')
    return { ok: false, message: '--service must be booking or availability' };
  const reason = values.get('--reason')?.trim();
  if (!reason) return { ok: false, message: '--reason is required: the audit event records it' };
  if (reason.length > 500) return { ok: false, message: '--reason is longer than 500 characters' };
  const schema = values.get('--schema') ?? service;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    return { ok: false, message: '--schema must be a PostgreSQL schema name' };
  return { ok: true, args: { service, schema, reason, dryRun } };
}
