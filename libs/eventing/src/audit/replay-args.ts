import { parseArgs } from 'node:util';
import type { HistorySubject } from './history';

/** The five services' schemas: where `npm start` and the defaults put their event stores. */
export const SERVICE_SCHEMAS = ['connector', 'sync', 'availability', 'booking', 'notification'];

export const REPLAY_USAGE = `usage: npm run replay -- (--pro <proId> | --booking <bookingId> | --calendar <calendarId>)
                         [--from <time>] [--to <time>] [--json] [--schemas <a,b,...>]

Prints the history of one Pro, booking or calendar from the services' event stores, in order,
with each event's causation and correlation.

  --from, --to   recorded at or after / before: ISO 8601 with an offset (2026-12-01T09:00:00+01:00)
                 or a UTC date (2026-12-01)
  --json         one JSON object per line instead of text
  --schemas      the event stores to read (default ${SERVICE_SCHEMAS.join(',')})

DATABASE_URL (default postgres://postgres@127.0.0.1:5432/careservice) must be able to read them.`;

export interface ReplayRequest {
  subject: HistorySubject;
  from?: Date;
  to?: Date;
  json: boolean;
  schemas: string[];
}

export type ParsedReplayArgs =
  | { kind: 'replay'; request: ReplayRequest }
  | { kind: 'help' }
  | { kind: 'usage-error'; message: string };

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;
const SUBJECTS = ['pro', 'booking', 'calendar'] as const;

/** Reads the command line; every mistake is a usage error naming what is wrong. */
export function parseReplayArgs(argv: readonly string[]): ParsedReplayArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        pro: { type: 'string' },
        booking: { type: 'string' },
        calendar: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        json: { type: 'boolean', default: false },
        schemas: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    return usageError((error as Error).message);
  }
  if (values.help) return { kind: 'help' };
  const given = SUBJECTS.filter((kind) => values[kind] !== undefined);
  if (given.length !== 1) return usageError('give exactly one of --pro, --booking and --calendar');
  const kind = given[0]!;
  const id = values[kind]!.trim();
  if (id === '') return usageError(`--${kind} needs an id`);
  const from = values.from === undefined ? undefined : parseTime(values.from);
  if (from === null) return usageError(`--from: "${values.from}" is not an ISO 8601 time or date`);
  const to = values.to === undefined ? undefined : parseTime(values.to);
  if (to === null) return usageError(`--to: "${values.to}" is not an ISO 8601 time or date`);
  if (from && to && from >= to) return usageError('--from must be before --to');
  const schemas = values.schemas?.split(',').map((s) => s.trim()) ?? SERVICE_SCHEMAS;
  const badSchema = schemas.find((schema) => !SCHEMA.test(schema));
  if (badSchema !== undefined)
    return usageError(`--schemas: "${badSchema}" is not a lower-case SQL identifier`);
  return {
    kind: 'replay',
    request: {
      subject: { kind, id },
      ...(from && { from }),
      ...(to && { to }),
      json: values.json,
      schemas,
    },
  };
}

function parseTime(text: string): Date | null {
  const iso = DATE.test(text) ? `${text}T00:00:00Z` : DATE_TIME.test(text) ? text : null;
  if (iso === null) return null;
  const time = new Date(iso);
  // Date rolls 2026-02-31 over into March instead of refusing it.
  const day = text.slice(0, 10);
  const midnight = new Date(`${day}T00:00:00Z`);
  const realDay = !Number.isNaN(midnight.getTime()) && midnight.toISOString().startsWith(day);
  return realDay && !Number.isNaN(time.getTime()) ? time : null;
}

const usageError = (message: string): ParsedReplayArgs => ({ kind: 'usage-error', message });
