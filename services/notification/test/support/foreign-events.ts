import { randomUUID } from 'node:crypto';
import { type Context, eventRegistry } from '@cs/contracts';
import type { TestContext } from '@cs/testing';

/** Publishes other services' events onto their streams as their relays would. */
export class ForeignEvents {
  private readonly versions = new Map<string, number>();

  constructor(private readonly ctx: TestContext) {}

  async publish<T extends object>(
    context: Context,
    streamId: string,
    type: string,
    data: T,
    occurredAt = new Date().toISOString(),
  ): Promise<void> {
    const streamVersion = (this.versions.get(streamId) ?? 0) + 1;
    this.versions.set(streamId, streamVersion);
    const envelope = eventRegistry.parse({
      id: randomUUID(),
      type,
      schemaVersion: 1,
      streamId,
      streamVersion,
      occurredAt,
      recordedAt: occurredAt,
      correlationId: randomUUID(),
      causationId: null,
      actor: { kind: 'system', id: 'test' },
      data,
    });
    await this.ctx.js.publish(
      this.ctx.naming.subject(context, type, (data as { proId?: string }).proId),
      JSON.stringify(envelope),
      { msgID: envelope.id },
    );
  }
}
