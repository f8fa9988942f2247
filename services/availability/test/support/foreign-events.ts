import { randomUUID } from 'node:crypto';
import { type Context, eventRegistry } from '@cs/contracts';
import type { TestContext } from '@cs/testing';

/**
 * Publishes events of other services (sync, booking) onto their streams as those services'
 * relays would: a valid envelope, numbered per aggregate, `msgID` = event id.
 */
export class ForeignEvents {
  private readonly versions = new Map<string, number>();

  constructor(private readonly ctx: TestContext) {}

  async publish<T extends { proId: string }>(
    context: Context,
    streamId: string,
    type: string,
    data: T,
    schemaVersion = 1,
  ): Promise<void> {
    const streamVersion = (this.versions.get(streamId) ?? 0) + 1;
    this.versions.set(streamId, streamVersion);
    const now = new Date().toISOString();
    const envelope = eventRegistry.parse({
      id: randomUUID(),
      type,
      schemaVersion,
      streamId,
      streamVersion,
      occurredAt: now,
      recordedAt: now,
      correlationId: randomUUID(),
      causationId: null,
      actor: { kind: 'system', id: 'test' },
      data,
    });
    await this.ctx.js.publish(
      this.ctx.naming.subject(context, type, data.proId),
      JSON.stringify(envelope),
      {
        msgID: envelope.id,
      },
    );
  }

  /** A raw message the registry cannot parse, to see it dead-lettered. */
  async publishPoison(context: Context, proId: string): Promise<void> {
    await this.ctx.js.publish(
      this.ctx.naming.subject(context, 'calendar.event_upserted', proId),
      '{"not":"an envelope"}',
      {
        msgID: randomUUID(),
      },
    );
  }
}
