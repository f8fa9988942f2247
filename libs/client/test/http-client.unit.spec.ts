import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { CalendarClient, type CalendarClientOptions, type RetryNotice } from '@cs/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Reply = (res: ServerResponse, req: IncomingMessage) => void;

const json = (status: number, body: object, headers: Record<string, string> = {}): Reply => {
  return (res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
};
const dropConnection: Reply = (_res, req) => req.socket.destroy();

// A local server answering from a script: each request takes the next reply, the last repeats.
let server: Server;
let baseUrl: string;
let script: Reply[] = [];
let seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += String(chunk)));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const reply = script.length > 1 ? script.shift()! : script[0]!;
      reply(res, req);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  script = [];
  seen = [];
});

/** A client whose waits are recorded, not waited: the tests hold no timing. */
function client(options: CalendarClientOptions = {}) {
  const waits: number[] = [];
  const retries: RetryNotice[] = [];
  let keys = 0;
  const made = new CalendarClient({
    baseUrls: { booking: baseUrl, availability: baseUrl },
    token: 'token-1',
    sleep: async (ms) => void waits.push(ms),
    onRetry: (notice) => retries.push(notice),
    newKey: () => `key-${++keys}`,
    ...options,
  });
  return { made, waits, retries };
}

const booking = { serviceId: 'wound-care', proId: 'p-1', start: '2030-01-01T09:00:00Z' };

describe('retries', () => {
  it('waits what Retry-After says on 503 and 429, then answers the success', async () => {
    script = [
      json(503, { title: 'database away' }, { 'retry-after': '1' }),
      json(429, { title: 'over the limit' }, { 'retry-after': '3' }),
      json(201, { bookingId: 'b-1' }),
    ];
    const { made, waits, retries } = client();
    const answer = await made.booking.post('/v1/bookings', { body: booking });
    expect(answer).toMatchObject({
      ok: true,
      status: 201,
      body: { bookingId: 'b-1' },
      attempts: 3,
    });
    expect(waits).toEqual([1_000, 3_000]);
    expect(retries.map((r) => r.reason)).toEqual(['503 with Retry-After', '429 with Retry-After']);
  });

  it('sends the same idempotency key on every try of a booking command', async () => {
    script = [json(503, {}, { 'retry-after': '1' }), json(503, {}), json(201, { bookingId: 'b' })];
    const { made, waits } = client();
    await made.booking.post('/v1/bookings', { body: booking });
    expect(seen.map((s) => s.headers['idempotency-key'])).toEqual(['key-1', 'key-1', 'key-1']);
    expect(seen.every((s) => s.body === JSON.stringify(booking))).toBe(true);
    // No Retry-After: the fallback wait.
    expect(waits).toEqual([1_000, 250]);
  });

  it("keeps the caller's key, and makes a new one per command", async () => {
    script = [json(201, {})];
    const { made } = client();
    await made.booking.post('/v1/bookings', { body: booking, idempotencyKey: 'mine' });
    await made.booking.post('/v1/bookings/{bookingId}/cancel', {
      params: { bookingId: 'b 1' },
      body: { reason: 'ill' },
    });
    await made.booking.post('/v1/bookings', { body: booking });
    expect(seen.map((s) => [s.url, s.headers['idempotency-key']])).toEqual([
      ['/v1/bookings', 'mine'],
      ['/v1/bookings/b%201/cancel', 'key-1'],
      ['/v1/bookings', 'key-2'],
    ]);
  });

  it('gives operations without a key in their contract none', async () => {
    script = [json(200, { version: 1 })];
    const { made } = client();
    await made.availability.put('/v1/territories/{territoryId}', {
      params: { territoryId: 'nl-utrecht' },
      body: { timeZone: 'Europe/Amsterdam' },
    });
    expect(seen[0]!.headers['idempotency-key']).toBeUndefined();
    expect(seen[0]!.headers.authorization).toBe('Bearer token-1');
  });

  it('stops when the next wait would overrun the budget, answering the last refusal', async () => {
    script = [
      json(503, { title: 'away' }, { 'retry-after': '1' }),
      json(503, {}, { 'retry-after': '30' }),
    ];
    const { made, waits } = client({ retry: { budgetMs: 10_000 } });
    const answer = await made.booking.post('/v1/bookings', { body: booking });
    expect(answer).toMatchObject({ ok: false, status: 503, attempts: 2, exhausted: true });
    expect(waits).toEqual([1_000]);
  });

  it('stops after the policy’s attempts', async () => {
    script = [json(503, {}, { 'retry-after': '0' })];
    const { made } = client({ retry: { attempts: 3 } });
    const answer = await made.booking.get('/v1/bookings/{bookingId}', {
      params: { bookingId: 'b-1' },
    });
    expect(answer).toMatchObject({ status: 503, attempts: 3, exhausted: true });
    expect(seen).toHaveLength(3);
  });

  it('answers a refusal at once, with its problem', async () => {
    script = [json(409, { type: 'https://errors/slot-unavailable', alternatives: [] })];
    const { made, waits } = client();
    const answer = await made.booking.post('/v1/bookings', { body: booking });
    expect(answer).toMatchObject({ ok: false, status: 409, attempts: 1, exhausted: false });
    expect(answer.body).toMatchObject({ type: 'https://errors/slot-unavailable' });
    expect(waits).toEqual([]);
  });

  it('repeats a lost request only where that is harmless: reads and keyed commands', async () => {
    script = [dropConnection, json(200, { items: [] })];
    const { made, retries } = client();
    const read = await made.booking.get('/v1/bookings', { query: { proId: 'p-1', limit: 5 } });
    expect(read).toMatchObject({ ok: true, attempts: 2 });
    expect(retries.map((r) => r.reason)).toEqual(['connection refused or reset']);
    expect(seen.at(-1)!.url).toBe('/v1/bookings?proId=p-1&limit=5');

    script = [dropConnection, json(201, {})];
    seen = [];
    const keyed = await made.booking.post('/v1/bookings', { body: booking });
    expect(keyed).toMatchObject({ ok: true, attempts: 2 });

    script = [dropConnection, json(201, {})];
    seen = [];
    const unkeyed = await made.booking.post('/v1/pros/{proId}/feeds', { params: { proId: 'p-1' } });
    expect(unkeyed).toMatchObject({ ok: false, status: 0, attempts: 1 });
  });

  it('is off with one attempt', async () => {
    script = [json(503, {}, { 'retry-after': '1' })];
    const { made } = client({ retry: { attempts: 1 } });
    expect(await made.booking.post('/v1/bookings', { body: booking })).toMatchObject({
      status: 503,
      attempts: 1,
    });
  });
});

describe('consistency tokens', () => {
  it('sends the last token a command answered on the next reads, when the session follows', async () => {
    script = [json(201, {}, { 'consistency-token': 'ct-1' }), json(200, {})];
    const { made } = client({ followConsistency: true });
    await made.booking.post('/v1/bookings', { body: booking });
    await made.availability.get('/v1/pros/{proId}/availability', {
      params: { proId: 'p-1' },
      query: { serviceId: 'wound-care' },
    });
    expect(seen.map((s) => s.headers['if-consistent-with'])).toEqual([undefined, 'ct-1']);
    expect(made.session.lastConsistencyToken).toBe('ct-1');
  });

  it('keeps the token to itself unless asked to follow', async () => {
    script = [json(201, {}, { 'consistency-token': 'ct-2' }), json(200, {})];
    const { made } = client();
    await made.booking.post('/v1/bookings', { body: booking });
    await made.booking.get('/v1/bookings');
    expect(seen[1]!.headers['if-consistent-with']).toBeUndefined();
    expect(made.session.lastConsistencyToken).toBe('ct-2');
  });
});
