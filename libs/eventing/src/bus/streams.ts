import { type Context, type BusNaming } from '@cs/contracts';
import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';

export interface StreamOptions {
  replicas: number;
  duplicateWindowMs: number;
  storage?: 'file' | 'memory';
}

const nanos = (ms: number) => ms * 1_000_000;

async function upsertStream(
  jsm: JetStreamManager,
  config: Partial<StreamConfig> & { name: string },
) {
  try {
    await jsm.streams.info(config.name);
    await jsm.streams.update(config.name, config);
  } catch (error) {
    if (!(error instanceof JetStreamApiError) || error.code !== JetStreamApiCodes.StreamNotFound)
      throw error;
    await jsm.streams.add(config);
  }
}

/**
 * One stream per bounded context, kept for ever (the audit log), plus the dead-letter stream.
 * Creating them is idempotent, so every service provisions what it publishes to and reads from.
 */
export async function ensureStreams(
  jsm: JetStreamManager,
  naming: BusNaming,
  contexts: readonly Context[],
  options: StreamOptions,
): Promise<void> {
  const storage = options.storage === 'memory' ? StorageType.Memory : StorageType.File;
  for (const context of contexts) {
    await upsertStream(jsm, {
      name: naming.stream(context),
      subjects: [naming.streamSubjects(context)],
      storage,
      num_replicas: options.replicas,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      max_age: 0,
      duplicate_window: nanos(options.duplicateWindowMs),
    });
  }
  await upsertStream(jsm, {
    name: naming.deadLetterStream,
    subjects: [naming.deadLetterSubjects],
    storage,
    num_replicas: options.replicas,
    retention: RetentionPolicy.Limits,
    max_age: 0,
    duplicate_window: nanos(options.duplicateWindowMs),
  });
}

/** For tests and tenants: removes every stream that a prefix owns. */
export async function deleteStreams(
  jsm: JetStreamManager,
  naming: BusNaming,
  contexts: readonly Context[],
) {
  for (const name of [...contexts.map((c) => naming.stream(c)), naming.deadLetterStream]) {
    await jsm.streams.delete(name).catch(() => false);
  }
}
