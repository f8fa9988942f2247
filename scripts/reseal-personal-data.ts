import { BusNaming, eventRegistry } from '@cs/contracts';
import {
  connectNats,
  createPool,
  CredentialCipher,
  EventStore,
  parseCredentialKeys,
  parseResealArgs,
  PersonalData,
  personalDataMigrations,
  PersonKeys,
  replaceInJetStream,
  RESEAL_USAGE,
  resealStore,
  runMigrations,
  systemClock,
} from '@cs/eventing';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';

/**
 * `npm run personal-data:reseal -- …` (docs/adr/0017): seals the personal data of events recorded
 * before sealing, in one service's event store and its JetStream stream, with an audit event.
 */
async function main(): Promise<number> {
  const parsed = parseResealArgs(process.argv.slice(2));
  if (!parsed.ok) {
    console.error(`personal-data:reseal: ${parsed.message}\n\n${RESEAL_USAGE}`);
    return 2;
  }
  const { service, schema, reason, dryRun } = parsed.args;
  const masterKeys = process.env.PERSONAL_DATA_KEYS;
  if (!masterKeys) {
    console.error('personal-data:reseal: PERSONAL_DATA_KEYS is required (the services’ own)');
    return 2;
  }
  const keySchema = process.env.PERSONAL_DATA_SCHEMA ?? 'personal_data';
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/careservice';
  const pool = createPool({ databaseUrl, schema, max: 2 });
  const nc = await connectNats({
    natsUrl: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
    name: 'cs-personal-data-reseal',
  });
  try {
    await runMigrations(pool, keySchema, personalDataMigrations);
    const personal = new PersonalData(
      new PersonKeys(keySchema, new CredentialCipher(parseCredentialKeys(masterKeys))),
    );
    const naming = new BusNaming(process.env.NATS_PREFIX ?? '');
    const store = new EventStore(pool, naming, eventRegistry, systemClock);
    const found = await resealStore(pool, { store, personal, context: service, reason, dryRun });
    const events = [...found.people.values()].reduce((n, p) => n + p.events.length, 0);
    console.error(
      `${dryRun ? 'would seal' : 'sealed'} ${events} events of ${found.people.size} people in ${schema}` +
        (found.ownerless.length > 0 ? `; ${found.ownerless.length} without a person left` : ''),
    );
    if (dryRun) return 0;
    const bus = { js: jetstream(nc), jsm: await jetstreamManager(nc), naming };
    const replaced = await replaceInJetStream(pool, bus, service);
    console.error(`replaced ${replaced} messages in ${naming.stream(service)}`);
    return 0;
  } finally {
    await nc.drain().catch(() => undefined);
    await pool.end();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(
      `personal-data:reseal: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exitCode = 1;
  },
);
