import { Pool } from 'pg';
import {
  historyJsonLines,
  historyText,
  openForAudit,
  parseReplayArgs,
  readHistory,
  REPLAY_USAGE,
  schemasWithEvents,
} from '@cs/eventing';

/** `npm run replay -- …` (docs/api.md "Audit"): one Pro's, booking's or calendar's history with causation. */
async function main(): Promise<number> {
  const parsed = parseReplayArgs(process.argv.slice(2));
  if (parsed.kind === 'help') {
    console.log(REPLAY_USAGE);
    return 0;
  }
  if (parsed.kind === 'usage-error') {
    console.error(`replay: ${parsed.message}\n\n${REPLAY_USAGE}`);
    return 2;
  }
  const { request } = parsed;
  const pool = new Pool({
    connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/careservice',
    max: 2,
  });
  try {
    const schemas = await schemasWithEvents(pool, request.schemas);
    if (schemas.length === 0) {
      console.error(`replay: no event store in ${request.schemas.join(', ')}`);
      return 1;
    }
    const read = await readHistory(pool, { ...request, schemas });
    // Personal data is sealed in the events: opened with PERSONAL_DATA_KEYS, else masked.
    const data = (await openForAudit(
      pool,
      read.map((entry) => entry.envelope.data),
      {
        schema: process.env.PERSONAL_DATA_SCHEMA ?? 'personal_data',
        masterKeys: process.env.PERSONAL_DATA_KEYS,
      },
    )) as unknown[];
    const entries = read.map((entry, i) => ({
      ...entry,
      envelope: { ...entry.envelope, data: data[i] },
    }));
    const lines = request.json ? historyJsonLines(entries) : historyText(entries);
    if (lines.length > 0) console.log(lines.join('\n'));
    if (!request.json)
      console.error(
        `${entries.length} events of ${request.subject.kind} ${request.subject.id} in ${schemas.join(', ')}`,
      );
    return 0;
  } finally {
    await pool.end();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`replay: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
