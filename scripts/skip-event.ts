import { parseArgs } from 'node:util';
import { createPool, skipEvent, withTransaction } from '@cs/eventing';

const USAGE = `usage: npm run skip-event -- --schema <service> --consumer <name> --stream <streamId> --version <n> --reason <why> --by <operator>

Records that <consumer> moves past version <n> of <streamId> without applying it: the one event
it waits for that will never come. Only the next version of the stream can be skipped.`;

/** The operator's way past a lost event: a row in `consumer_skips` says who skipped what, and why. */
async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        schema: { type: 'string' },
        consumer: { type: 'string' },
        stream: { type: 'string' },
        version: { type: 'string' },
        reason: { type: 'string' },
        by: { type: 'string' },
      },
    }));
  } catch (error) {
    console.error(`skip-event: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { schema, consumer, stream, version, reason, by } = values;
  const streamVersion = Number(version);
  if (!schema || !consumer || !stream || !reason?.trim() || !by?.trim()) {
    console.error(USAGE);
    return 2;
  }
  if (!Number.isInteger(streamVersion) || streamVersion < 1) {
    console.error(`skip-event: --version must be a positive integer\n\n${USAGE}`);
    return 2;
  }
  const pool = createPool({
    databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/careservice',
    schema,
    max: 1,
  });
  try {
    const outcome = await withTransaction(pool, (tx) =>
      skipEvent(tx, { consumer, streamId: stream, streamVersion, reason, skippedBy: by }),
    );
    const said = {
      skipped: `${consumer} skips ${stream} version ${streamVersion}`,
      applied: `${consumer} has already applied ${stream} version ${streamVersion}: nothing to skip`,
      'not-next': `${consumer} has not reached ${stream} version ${streamVersion - 1}: skip that first`,
    }[outcome];
    console.log(said);
    return outcome === 'not-next' ? 1 : 0;
  } finally {
    await pool.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`skip-event: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
