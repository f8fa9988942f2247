import { bareServer, closedLoop, httpClient, percentile } from './http-load';
import { cpuSeconds, rssMiB } from './process-stats';
import { proId, SERVICE_ID, territoryId } from './dataset';
import type { RunningService } from './scale-services';

const CONNECTIONS = 32;
const SECONDS = 10;
const DAY = 86_400_000;
/** A Monday inside the data set's three years: bookings, external events and absences around it. */
const FROM = Date.UTC(2027, 5, 7);

export interface AvailabilityFigures {
  perSecond: number;
  p99: number;
  cpuMsPerRequest: number;
  floorPerSecond: number;
  floorP99: number;
  searchP50: number;
  searchPros: number;
  rssMiB: number;
}

/** One Pro × 30 days over HTTP at 32 connections beside a bare server; a territory search for a day. */
export async function measureAvailability(
  service: RunningService,
  token: string,
  pros: number,
): Promise<AvailabilityFigures> {
  const client = httpClient(service.origin, token, CONNECTIONS);
  const from = new Date(FROM).toISOString();
  const to = new Date(FROM + 30 * DAY).toISOString();
  const path = `/v1/pros/${proId(0)}/availability?serviceId=${SERVICE_ID}&from=${from}&to=${to}&timeZone=Europe/Amsterdam`;
  try {
    const sample = await client.call('GET', path);
    if (sample.status !== 200)
      throw new Error(`availability answered ${sample.status}: ${sample.body}`);
    for (let i = 0; i < 200; i++) await client.call('GET', path);
    const cpuBefore = cpuSeconds(service.child.pid);
    const loaded = await closedLoop(CONNECTIONS, SECONDS, () => client.call('GET', path));
    const cpu = cpuSeconds(service.child.pid) - cpuBefore;
    if (loaded.failures > 0) throw new Error(`${loaded.failures} availability requests failed`);

    const bare = await bareServer(sample.body);
    const floorClient = httpClient(bare.origin, token, CONNECTIONS);
    const floor = await closedLoop(CONNECTIONS, SECONDS, () => floorClient.call('GET', path));
    floorClient.close();
    bare.close();

    const search = {
      serviceId: SERVICE_ID,
      from: new Date(FROM + 2 * DAY).toISOString(),
      to: new Date(FROM + 3 * DAY).toISOString(),
      territoryId: territoryId(0),
      limit: 10,
    };
    const searches: number[] = [];
    for (let i = 0; i < 45; i++) {
      const t = performance.now();
      const answer = await client.call('POST', '/v1/availability/search', search);
      if (answer.status !== 200)
        throw new Error(`search answered ${answer.status}: ${answer.body}`);
      if (i >= 5) searches.push(performance.now() - t);
    }
    searches.sort((a, b) => a - b);
    return {
      perSecond: loaded.perSecond,
      p99: percentile(loaded.sorted, 0.99),
      cpuMsPerRequest: (cpu * 1000) / loaded.sorted.length,
      floorPerSecond: floor.perSecond,
      floorP99: percentile(floor.sorted, 0.99),
      searchP50: percentile(searches, 0.5),
      searchPros: Math.ceil(pros / 2),
      rssMiB: rssMiB(service.child.pid),
    };
  } finally {
    client.close();
  }
}
