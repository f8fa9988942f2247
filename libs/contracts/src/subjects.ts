import type { Context } from './envelope';

export const DEFAULT_PARTITIONS = 16;
const NO_PRO = 'none';

/** FNV-1a: stable across processes and languages, so every publisher picks the same partition. */
export function partitionOf(proId: string, partitions = DEFAULT_PARTITIONS): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < proId.length; i++) {
    hash ^= proId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `p${hash % partitions}`;
}

/**
 * Stream and subject names. A prefix keeps test runs and tenants apart on one server:
 * subjects `<prefix>.cs.<context>.<type>.<partition>`, streams `<PREFIX>_CS_<CONTEXT>`.
 */
export class BusNaming {
  constructor(
    readonly prefix = '',
    readonly partitions = DEFAULT_PARTITIONS,
  ) {
    if (prefix && !/^[A-Za-z0-9_-]+$/.test(prefix))
      throw new Error(`invalid bus prefix "${prefix}"`);
  }

  private get subjectRoot(): string {
    return this.prefix ? `${this.prefix}.cs` : 'cs';
  }

  private get streamRoot(): string {
    return this.prefix ? `${this.prefix.toUpperCase()}_CS` : 'CS';
  }

  stream(context: Context): string {
    return `${this.streamRoot}_${context.toUpperCase()}`;
  }

  streamSubjects(context: Context): string {
    return `${this.subjectRoot}.${context}.>`;
  }

  subject(context: Context, type: string, proId?: string): string {
    const partition = proId ? partitionOf(proId, this.partitions) : NO_PRO;
    return `${this.subjectRoot}.${context}.${type}.${partition}`;
  }

  get deadLetterStream(): string {
    return `${this.streamRoot}_DEADLETTER`;
  }

  get deadLetterSubjects(): string {
    return `${this.subjectRoot}.dlq.>`;
  }

  deadLetterSubject(consumer: string): string {
    return `${this.subjectRoot}.dlq.${consumer}`;
  }

  /** Durable consumer names may not contain dots. */
  durable(consumer: string): string {
    return consumer.replace(/[^A-Za-z0-9_-]/g, '_');
  }
}
