import { closedLoop, httpClient, percentile } from './http-load';
import { rssMiB } from './process-stats';
import { isFullTime, proId, SERVICE_ID } from './dataset';
import type { RunningService } from './scale-services';

const CONNECTIONS = 32;
const SECONDS = 10;
const DAY = 86_400_000;
/** Mondays after the data set's three years and clear of public holidays in its regions. */
const FIRST_MONDAY = Date.UTC(2031, 0, 13);
/** 08:00–16:00 local (UTC+1 in winter): one-hour slots a full-time Pro's week holds. */
const HOURS_UTC = [7, 8, 9, 10, 11, 12, 13, 14, 15];

export interface BookingFigures {
  perSecond: number;
  p99: number;
  confirmed: number;
  attempts: number;
  raceCreated: number;
  raceRefused: number;
  rssMiB: number;
}

/** The i-th distinct slot over the full-time Pros: Pro first, then hour, weekday and week. */
function slotOf(fullTime: number[], i: number): { proId: string; start: string } {
  const pro = fullTime[i % fullTime.length]!;
  let n = Math.floor(i / fullTime.length);
  const hour = HOURS_UTC[n % HOURS_UTC.length]!;
  n = Math.floor(n / HOURS_UTC.length);
  const day = FIRST_MONDAY + Math.floor(n / 5) * 7 * DAY + (n % 5) * DAY;
  return { proId: proId(pro), start: new Date(day + hour * 3_600_000).toISOString() };
}

/** Confirmed bookings/s at 32 connections over distinct slots, then 200 callers on one slot. */
export async function measureBooking(
  service: RunningService,
  token: string,
  pros: number,
): Promise<BookingFigures> {
  const fullTime = Array.from({ length: pros }, (_, p) => p).filter(isFullTime);
  const client = httpClient(service.origin, token, 200);
  const book = (slot: { proId: string; start: string }, clientId: string) =>
    client.call('POST', '/v1/bookings', {
      serviceId: SERVICE_ID,
      ...slot,
      client: { clientId },
    });
  try {
    let next = 0;
    for (let i = 0; i < 50; i++) {
      const answer = await book(slotOf(fullTime, next++), 'warm-up');
      if (answer.status !== 201)
        throw new Error(`booking answered ${answer.status}: ${answer.body}`);
    }
    let confirmed = 0;
    const loaded = await closedLoop(CONNECTIONS, SECONDS, async (caller) => {
      const answer = await book(slotOf(fullTime, next++), `c-${caller}`);
      if (answer.status === 201) confirmed++;
      return answer;
    });
    const raceSlot = {
      proId: proId(fullTime[0]!),
      start: new Date(FIRST_MONDAY + 8 * 7 * DAY + 9 * 3_600_000).toISOString(),
    };
    const race = await Promise.all(
      Array.from({ length: 200 }, (_, i) => book(raceSlot, `racer-${i}`)),
    );
    return {
      perSecond: confirmed / SECONDS,
      p99: percentile(loaded.sorted, 0.99),
      confirmed,
      attempts: loaded.sorted.length,
      raceCreated: race.filter((a) => a.status === 201).length,
      raceRefused: race.filter((a) => a.status === 409).length,
      rssMiB: rssMiB(service.child.pid),
    };
  } finally {
    client.close();
  }
}
