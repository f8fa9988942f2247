import { EventStore, type ExecutionContext } from '@cs/eventing';
import {
  collectOutput,
  createTestContext,
  spawnTs,
  type TestContext,
  waitForExit,
} from '@cs/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { historyEvents as events } from './fixtures/history-events';

let ctx: TestContext;
let ids: { confirmed: string; invited: string };

const replay = async (args: string[]) => {
  const child = spawnTs('scripts/replay.ts', { DATABASE_URL: ctx.databaseUrl }, args);
  const output = collectOutput(child);
  let stdout = '';
  child.stdout!.on('data', (chunk) => (stdout += String(chunk)));
  const code = await waitForExit(child);
  return { code, stdout, all: output() };
};

beforeAll(async () => {
  ctx = await createTestContext({ streams: [] });
  const store = new EventStore(ctx.pool, ctx.naming);
  const request: ExecutionContext = {
    correlationId: 'corr-cli',
    causationId: null,
    actor: { kind: 'client', id: 'c-1' },
  };
  const [confirmed] = (
    await store.append('pro-schedule-pro-1', [events.confirmed('b-1')], {
      expectedVersion: 'any',
      context: request,
    })
  ).events;
  const [invited] = (
    await store.append('notification-n-1', [events.invitation('n-1', 'b-1')], {
      expectedVersion: 'any',
      context: { ...request, causationId: confirmed!.id },
    })
  ).events;
  ids = { confirmed: confirmed!.id, invited: invited!.id };
});
afterAll(() => ctx.cleanup());

describe('npm run replay', () => {
  it("prints a booking's events with their causation, as text and as JSON lines", async () => {
    const text = await replay(['--booking', 'b-1', '--schemas', ctx.schema]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`#1  `);
    expect(text.stdout).toContain('booking.confirmed  (pro-schedule-pro-1 v1');
    expect(text.stdout).toContain('caused by a request of client c-1; correlation corr-cli');
    expect(text.stdout).toContain('caused by #1 booking.confirmed; correlation corr-cli');

    const json = await replay(['--booking', 'b-1', '--schemas', ctx.schema, '--json']);
    expect(json.code).toBe(0);
    const lines = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => [line.id, line.service, line.cause.kind])).toEqual([
      [ids.confirmed, ctx.schema, 'request'],
      [ids.invited, ctx.schema, 'event'],
    ]);
    expect(lines[1].cause).toMatchObject({
      inHistory: true,
      event: { id: ids.confirmed, type: 'booking.confirmed', streamId: 'pro-schedule-pro-1' },
    });
  });

  it('refuses bad arguments with exit code 2 and the usage, and a missing event store with 1', async () => {
    const bad = await replay(['--booking', 'b-1', '--from', 'tomorrow']);
    expect(bad.code).toBe(2);
    expect(bad.all).toContain('replay: --from: "tomorrow" is not an ISO 8601 time or date');
    expect(bad.all).toContain('usage: npm run replay --');
    expect(bad.stdout).toBe('');

    const missing = await replay(['--pro', 'p-1', '--schemas', `${ctx.schema}_none`]);
    expect(missing.code).toBe(1);
    expect(missing.all).toContain(`no event store in ${ctx.schema}_none`);
  });
});
