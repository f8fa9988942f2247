import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { defineEvent } from './event-definition';
import { EventRegistry, InvalidEventError } from './registry';

const v2 = defineEvent({
  type: 'pro.renamed',
  context: 'availability',
  schemaVersion: 2,
  schema: z.object({ proId: z.string(), displayName: z.string() }),
  upcasters: {
    1: (data) => ({ ...(data as object), displayName: (data as { name: string }).name }),
  },
});
const registry = new EventRegistry([v2]);

const envelope = (overrides: Record<string, unknown> = {}) => ({
  id: '0190a4c2-6b1e-7cc0-8f3e-1b2c3d4e5f60',
  type: 'pro.renamed',
  schemaVersion: 2,
  streamId: 'pro-1',
  streamVersion: 1,
  occurredAt: '2026-11-24T10:00:00.000Z',
  recordedAt: '2026-11-24T10:00:00.001Z',
  correlationId: 'c-1',
  causationId: null,
  actor: { kind: 'pro', id: 'pro-1' },
  data: { proId: 'pro-1', displayName: 'Anna' },
  ...overrides,
});

describe('EventRegistry', () => {
  it('parses a current event', () => {
    expect(registry.parse(envelope()).data).toEqual({ proId: 'pro-1', displayName: 'Anna' });
  });

  it('upcasts an old version on read', () => {
    const parsed = registry.parse(
      envelope({ schemaVersion: 1, data: { proId: 'pro-1', name: 'Anna' } }),
    );
    expect(parsed.schemaVersion).toBe(2);
    expect(parsed.data).toEqual({ proId: 'pro-1', displayName: 'Anna' });
  });

  it('names the field of a malformed envelope', () => {
    expect(() => registry.parse(envelope({ streamVersion: 0 }))).toThrow(InvalidEventError);
    try {
      registry.parse(envelope({ streamVersion: 0 }));
    } catch (error) {
      expect((error as InvalidEventError).issues[0]?.path).toBe('streamVersion');
    }
  });

  it('refuses unknown types, newer versions and bad data', () => {
    expect(() => registry.parse(envelope({ type: 'pro.vanished' }))).toThrow(/unknown event type/);
    expect(() => registry.parse(envelope({ schemaVersion: 3 }))).toThrow(/newer/);
    expect(() => registry.parse(envelope({ data: { proId: 'pro-1' } }))).toThrow(/invalid data/);
  });

  it('refuses a definition without every upcaster', () => {
    expect(() =>
      defineEvent({
        type: 'pro.moved',
        context: 'availability',
        schemaVersion: 2,
        schema: z.object({}),
      }),
    ).toThrow(/upcaster from v1/);
  });
});
