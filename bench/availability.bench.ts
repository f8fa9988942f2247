/**
 * docs/design.md §7 budgets for the availability service over HTTP. Run: npm run bench:availability
 * Starts the service in its own process (own schema and NATS prefix), gives one Pro weekday
 * hours and 200 busy events over 30 days through the bus, then measures
 * GET /v1/pros/{proId}/availability for 30 days (p50/p95, req/s with 32 keep-alive
 * connections for 10 s), the same while another Pro's calendar full of pathological recurrence
 * rules is asked for beside it (p99 ratio), and the time from publishing an external event to
 * the availability answer that no longer offers its slot.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { eventRegistry } from '@cs/contracts';
import { signTestToken } from '@cs/platform';
import { pathologicalRules } from '../libs/testing/src/pathological-rules';
// The Jest-free parts of the test helpers: a schema and stream prefix of the bench's own.
import { collectOutput, spawnTs } from '../libs/testing/src/child-process';
import { freePort } from '../libs/testing/src/free-port';
import { isListening } from '../libs/testing/src/infrastructure';
import { createTestContext } from '../libs/testing/src/test-context';
import { serviceEnv } from './support/service-env';

const DAY = 86_400_000;
const CONNECTIONS = 32;
const SECONDS = 10;
const SECRET = 'bench-secret-bench-secret-bench-secret!';

/**
 * CPU seconds the service process has used (Linux /proc; clock ticks of 10 ms). Throughput on a
 * shared 2-core machine moves with whatever else runs; CPU per request does not.
 */
function cpuSeconds(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

function percentile(sorted: number[], q: number): string {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(2);
}

async function main(): Promise<void> {
  const ctx = await createTestContext({ streams: [] });
  const port = await freePort();
  const child = spawnTs('services/availability/src/main.ts', {
    ...serviceEnv({ port, schema: ctx.schema, prefix: ctx.prefix, secret: SECRET }),
    GRPC_PORT: String(await freePort()),
  });
  const output = collectOutput(child);
  try {
    for (let i = 0; i < 300 && !(await isListening('127.0.0.1', port)); i++)
      await new Promise((r) => setTimeout(r, 100));
    if (!(await isListening('127.0.0.1', port)))
      throw new Error(`service did not start:\n${output()}`);
    const token = await signTestToken(SECRET, { sub: 'bench', roles: ['service'] });
    const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    const call = (method: string, path: string, body?: object) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method,
            path,
            agent,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on('error', reject);
        req.end(body ? JSON.stringify(body) : undefined);
      });

    await call('PUT', '/v1/territories/nl-utrecht', {
      timeZone: 'Europe/Amsterdam',
      holidayRegion: 'NL',
    });
    const proBody = {
      timeZone: 'Europe/Amsterdam',
      territoryId: 'nl-utrecht',
      homeLocation: { lat: 52.09, lng: 5.12 },
      services: [
        {
          serviceId: 'wound-care',
          durationMinutes: 45,
          bufferBeforeMinutes: 0,
          bufferAfterMinutes: 15,
        },
      ],
      weeklyHours: [{ days: ['MO', 'TU', 'WE', 'TH', 'FR'], start: '08:00', end: '18:00' }],
      minNoticeMinutes: 0,
    };
    await call('PUT', '/v1/pros/bench-pro', proBody);

    const start = Math.ceil(Date.now() / DAY) * DAY + 7 * DAY;
    let version = 0;
    const publish = async (data: Record<string, unknown>) => {
      const now = new Date().toISOString();
      const envelope = eventRegistry.parse({
        id: randomUUID(),
        type: 'calendar.event_upserted',
        schemaVersion: 1,
        streamId: 'bench-calendar',
        streamVersion: ++version,
        occurredAt: now,
        recordedAt: now,
        correlationId: randomUUID(),
        causationId: null,
        actor: { kind: 'system', id: 'bench' },
        data,
      });
      await ctx.js.publish(
        ctx.naming.subject('sync', envelope.type, 'bench-pro'),
        JSON.stringify(envelope),
        { msgID: envelope.id },
      );
    };
    const busy = (n: number, at: number) => ({
      proId: 'bench-pro',
      calendarId: 'cal-1',
      eventUid: `e-${n}`,
      recurrenceId: null,
      start: new Date(at).toISOString(),
      end: new Date(at + 30 * 60_000).toISOString(),
      allDay: false,
      status: 'confirmed',
      transparent: false,
      declinedByPro: false,
      rrule: null,
      exdates: [],
      timeZone: null,
      location: n % 2 ? { lat: 52.1 + (n % 7) / 100, lng: 5.1 } : null,
      bookingId: null,
    });
    for (let n = 0; n < 200; n++)
      await publish(busy(n, start + Math.floor(n / 7) * DAY + (7 + (n % 7) * 1.5) * 3_600_000));

    const from = new Date(start).toISOString();
    const to = new Date(start + 30 * DAY).toISOString();
    const path = `/v1/pros/bench-pro/availability?serviceId=wound-care&from=${from}&to=${to}&timeZone=Europe/Amsterdam`;
    const busyPath = `/v1/pros/bench-pro/busy?from=${from}&to=${to}`;
    for (;;) {
      const answer = await call('GET', busyPath);
      if (
        answer.status === 200 &&
        (JSON.parse(answer.body) as { intervals: unknown[] }).intervals.length >= 200
      )
        break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const sample = JSON.parse((await call('GET', path)).body) as { slots: unknown[] };
    console.log(`one Pro, 30 days, 200 busy events: ${sample.slots.length} slots per answer`);

    for (let i = 0; i < 200; i++) await call('GET', path);
    const single: number[] = [];
    for (let i = 0; i < 500; i++) {
      const t = performance.now();
      await call('GET', path);
      single.push(performance.now() - t);
    }
    single.sort((a, b) => a - b);
    console.log(
      `HTTP availability, one at a time        p50 ${percentile(single, 0.5)} ms   p95 ${percentile(single, 0.95)} ms   (budget p50 ≤ 10 ms)`,
    );

    /** 32 connections for SECONDS on `paths` (round robin per connection); latencies of `measured`. */
    const load = async (measured: string, others: string[] = []) => {
      const latencies: number[] = [];
      const cpuBefore = cpuSeconds(child.pid);
      const deadline = performance.now() + SECONDS * 1000;
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async (_, connection) => {
          const target = connection < others.length ? others[connection]! : measured;
          while (performance.now() < deadline) {
            const t = performance.now();
            const answer = await call('GET', target);
            if (answer.status !== 200) throw new Error(`status ${answer.status}: ${answer.body}`);
            if (target === measured) latencies.push(performance.now() - t);
          }
        }),
      );
      const cpu = (cpuSeconds(child.pid) ?? NaN) - (cpuBefore ?? NaN);
      return { sorted: latencies.sort((a, b) => a - b), cpu };
    };

    const loaded = await load(path);
    console.log(
      `HTTP availability, ${CONNECTIONS} connections ${SECONDS} s   ${(loaded.sorted.length / SECONDS).toFixed(0)} req/s   p50 ${percentile(loaded.sorted, 0.5)} ms   p95 ${percentile(loaded.sorted, 0.95)} ms   p99 ${percentile(loaded.sorted, 0.99)} ms   (budget ≥ 1,500 req/s)`,
    );
    if (Number.isFinite(loaded.cpu)) {
      const perRequest = (loaded.cpu * 1000) / loaded.sorted.length;
      console.log(
        `service CPU per request under load        ${perRequest.toFixed(3)} ms   (one core saturates at ≈ ${(1000 / perRequest).toFixed(0)} req/s)`,
      );
    }

    // Another Pro whose calendar holds every rule that hung or flooded earlier engines, asked
    // for on two of the connections: the first Pro's answers must not notice.
    await call('PUT', '/v1/pros/odd-pro', { ...proBody, homeLocation: { lat: 52.1, lng: 5.1 } });
    for (const [n, rule] of pathologicalRules.entries()) {
      const at = rule.since ? Date.parse(rule.since) : start + (n % 5) * DAY + 12 * 3_600_000;
      await publish({
        ...busy(2000 + n, at),
        proId: 'odd-pro',
        calendarId: 'cal-odd',
        allDay: rule.allDay,
        rrule: rule.rrule,
        location: null,
      });
    }
    const oddPath = path.replace('bench-pro', 'odd-pro');
    for (;;) {
      const answer = await call('GET', busyPath.replace('bench-pro', 'odd-pro'));
      const intervals =
        answer.status === 200
          ? (JSON.parse(answer.body) as { intervals: unknown[] }).intervals
          : [];
      if (intervals.length > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const beside = await load(path, [oddPath, oddPath]);
    const p99 = (sorted: number[]) => Number(percentile(sorted, 0.99));
    console.log(
      `same, ${pathologicalRules.length} pathological rules asked for beside it   p99 ${p99(beside.sorted).toFixed(2)} ms against ${p99(loaded.sorted).toFixed(2)} ms alone: ×${(p99(beside.sorted) / p99(loaded.sorted)).toFixed(2)}   (budget ≤ ×2)`,
    );

    const latencies: number[] = [];
    for (let n = 0; n < 20; n++) {
      // A busy event at 08:00 on a fresh day takes away that day's first slot.
      const slotStart = new Date(start + (n + 1) * DAY + 7 * 3_600_000).toISOString();
      const t = performance.now();
      await publish({ ...busy(1000 + n, start + (n + 1) * DAY + 7 * 3_600_000), location: null });
      for (;;) {
        const answer = JSON.parse((await call('GET', path)).body) as {
          slots: Array<{ start: string }>;
        };
        if (!answer.slots.some((s) => s.start === slotStart)) break;
        await new Promise((r) => setTimeout(r, 2));
      }
      latencies.push(performance.now() - t);
    }
    latencies.sort((a, b) => a - b);
    console.log(
      `bus event → availability updated          p50 ${percentile(latencies, 0.5)} ms   p95 ${percentile(latencies, 0.95)} ms   (budget < 1,000 ms)`,
    );
    agent.destroy();
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await ctx.cleanup();
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
