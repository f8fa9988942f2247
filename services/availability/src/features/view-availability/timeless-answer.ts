import { MS_PER_DAY, MS_PER_MINUTE } from '@cs/ical';
import { type Availability, type AvailabilityQuery, availability } from '@cs/scheduling';

/**
 * The engine's answer computed once and read at any later `now` until `validUntil`. The clock
 * moves an answer in four ways: minimum notice drops slots, the horizon adds them, a hold
 * expires, a source calendar turns stale. The first two are applied when the answer is read
 * (the engine's grid is anchored on window starts, so one slot never shifts another); the other
 * two end the answer's validity.
 */
export interface TimelessAnswer {
  readonly computedAt: number;
  readonly validUntil: number;
  readonly noticeMs: number;
  readonly horizonMs: number | null;
  readonly answer: Availability;
}

export interface ExpiringHold {
  readonly holdExpiresAt: number | null;
}

/** `query` must already leave out holds expired at `query.now`, as `availabilityQuery` does. */
export function timelessAnswer(
  query: AvailabilityQuery,
  holds: readonly ExpiringHold[],
): TimelessAnswer {
  const { settings, territory, now } = query;
  const noticeMinutes = query.emergency
    ? 0
    : (settings.minNoticeMinutes ?? territory?.defaults.minNoticeMinutes ?? 0);
  const horizonDays = settings.horizonDays ?? territory?.defaults.horizonDays ?? null;
  const unbounded: AvailabilityQuery = {
    ...query,
    settings: { ...settings, horizonDays: null },
    territory: territory && {
      ...territory,
      defaults: { ...territory.defaults, horizonDays: null },
    },
  };
  const changes = [
    ...holds.map((h) => h.holdExpiresAt ?? Infinity),
    ...query.calendars.map((c) =>
      c.lastSyncedAt === null ? Infinity : c.lastSyncedAt + c.staleAfterMinutes * MS_PER_MINUTE + 1,
    ),
  ].filter((t) => t > now);
  return {
    computedAt: now,
    validUntil: Math.min(Infinity, ...changes),
    noticeMs: noticeMinutes * MS_PER_MINUTE,
    horizonMs: horizonDays === null ? null : horizonDays * MS_PER_DAY,
    answer: availability(unbounded),
  };
}

export const isValidAt = (answer: TimelessAnswer, now: number) =>
  now >= answer.computedAt && now < answer.validUntil;

/** The indices [first, end) of the answer's slots still bookable at `now` (slots are sorted). */
export function bookableAt(answer: TimelessAnswer, now: number): { first: number; end: number } {
  const { slots } = answer.answer;
  const earliest = now + answer.noticeMs;
  const latest = answer.horizonMs === null ? Infinity : now + answer.horizonMs;
  let first = 0;
  while (first < slots.length && slots[first]!.start < earliest) first++;
  let end = first;
  while (end < slots.length && slots[end]!.start <= latest) end++;
  return { first, end };
}
