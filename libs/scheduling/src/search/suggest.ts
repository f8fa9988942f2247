import {
  type Weekday,
  WEEKDAYS,
  instantToLocal,
  MS_PER_DAY,
  MS_PER_MINUTE,
  parseLocalTime,
  weekdayIndex,
} from '@cs/ical';
import { type AvailabilityQuery, allowedStarts, proContext, slotsOf } from '../slots/availability';
import { mergeWindows } from '../slots/start-ranges';
import { travelMs } from '../travel/travel';
import { zoneOrThrow } from '../time/zone';
import { neighboursOf } from './neighbours';

export interface Candidate {
  readonly proId: string;
  readonly query: AvailabilityQuery;
}

export interface Preferences {
  readonly proIds?: readonly string[];
  readonly daysOfWeek?: readonly Weekday[];
  /** `HH:MM` in `timeZone` of the request. */
  readonly earliestTime?: string;
  readonly latestTime?: string;
}

export interface ScorePart {
  readonly name: 'travel' | 'packing' | 'preference';
  readonly points: number;
  readonly reason: string;
}

export interface Suggestion {
  readonly start: number;
  readonly end: number;
  readonly proIds: readonly string[];
  readonly score: number;
  readonly travelMinutes: number;
  readonly parts: readonly ScorePart[];
}

export interface SuggestInput {
  readonly candidates: readonly Candidate[];
  readonly prosNeeded?: number;
  readonly preferences?: Preferences;
  /** The zone in which the client's preferences are meant. */
  readonly timeZone: string;
  readonly limit?: number;
}

/** Points per minute: added driving costs more than a stranded gap in the day. */
const TRAVEL_WEIGHT = 1;
const PACKING_WEIGHT = 0.5;
const PREFERRED_PRO_BONUS = 15;
const PREFERENCE_MISS = 30;

/** What a slot's score is made of, kept as numbers until a slot makes the final list. */
interface Scored {
  readonly start: number;
  readonly end: number;
  readonly proId: string;
  score: number;
  readonly travelMinutes: number;
  readonly addedMinutes: number;
  readonly strandedMinutes: number;
  readonly before: string;
  readonly after: string;
  readonly preferred: boolean;
  readonly offDay: boolean;
  readonly offHours: boolean;
}

/**
 * Ranked suggestions over many Pros (a territory or a list), best first. A slot's score is
 * the sum of explained parts: minutes of travel it adds to the Pro's day, minutes of idle
 * time it strands next to it (too short for another visit), and the client's preferences.
 * With `prosNeeded` > 1 the best-scoring Pros free at the same time are grouped.
 */
export function suggestSlots(input: SuggestInput): Suggestion[] {
  const prosNeeded = input.prosNeeded ?? 1;
  const viewer = zoneOrThrow(input.timeZone, 'timeZone');
  const prefs = input.preferences ?? {};
  const earliest = prefs.earliestTime ? parseLocalTime(prefs.earliestTime) : null;
  const latest = prefs.latestTime ? parseLocalTime(prefs.latestTime) : null;
  const days = prefs.daysOfWeek ? new Set(prefs.daysOfWeek.map((d) => WEEKDAYS.indexOf(d))) : null;
  const preferred = new Set(prefs.proIds ?? []);
  const timed = days !== null || earliest !== null || latest !== null;

  const byTime = new Map<number, Scored[]>();
  for (const { proId, query } of input.candidates) {
    const context = proContext(query);
    const client = query.clientLocation ?? null;
    const home = query.settings.homeLocation;
    const windows = mergeWindows(context.windows);
    const { travel, bufferBeforeMs, bufferAfterMs, durationMs } = context.placement;
    for (const slot of slotsOf(context, allowedStarts(context))) {
      const { before, after } = neighboursOf(slot, context.busy, context.zone, home);
      const inbound = travelMs(travel, before.location, client);
      const outbound = travelMs(travel, client, after.location);
      const added = inbound + outbound - travelMs(travel, before.location, after.location);
      const window = windows.find((w) => w.start <= slot.start && slot.end <= w.end);
      // Idle time beyond what the gap rule requires anyway.
      const idle = [
        slot.start -
          Math.max(
            before.end + Math.max(before.bufferAfterMs, bufferBeforeMs) + inbound,
            window?.start ?? slot.start,
          ),
        Math.min(
          after.start - Math.max(after.bufferBeforeMs, bufferAfterMs) - outbound,
          window?.end ?? slot.end,
        ) - slot.end,
      ];
      const stranded = idle
        .filter((gap) => gap > 0 && gap < durationMs)
        .reduce((sum, gap) => sum + gap, 0);
      const local = timed ? instantToLocal(viewer, slot.start) : 0;
      const minute = Math.floor((local % MS_PER_DAY) / MS_PER_MINUTE);
      const scored: Scored = {
        start: slot.start,
        end: slot.end,
        proId,
        score: 0,
        travelMinutes: round(inbound / MS_PER_MINUTE),
        addedMinutes: round(added / MS_PER_MINUTE),
        strandedMinutes: round(stranded / MS_PER_MINUTE),
        before: before.label,
        after: after.label,
        preferred: preferred.has(proId),
        offDay: days !== null && !days.has(weekdayIndex(Math.floor(local / MS_PER_DAY))),
        offHours: (earliest !== null && minute < earliest) || (latest !== null && minute > latest),
      };
      scored.score = total(partsOf(scored, false));
      const key = slot.start * 4 + (slot.end - slot.start);
      const list = byTime.get(key);
      if (list) list.push(scored);
      else byTime.set(key, [scored]);
    }
  }

  const teams: Scored[][] = [];
  for (const list of byTime.values()) {
    if (list.length < prosNeeded) continue;
    teams.push(
      list.sort((a, b) => b.score - a.score || (a.proId < b.proId ? -1 : 1)).slice(0, prosNeeded),
    );
  }
  const score = (team: readonly Scored[]) => round(team.reduce((sum, m) => sum + m.score, 0));
  const ids = (team: readonly Scored[]) => team.map((m) => m.proId).sort();
  teams.sort(
    (a, b) => score(b) - score(a) || a[0].start - b[0].start || compareIds(ids(a), ids(b)),
  );
  return teams.slice(0, input.limit ?? 10).map((team) => {
    const parts = team.flatMap((m) =>
      prosNeeded > 1
        ? partsOf(m, true).map((p) => ({ ...p, reason: `${m.proId}: ${p.reason}` }))
        : partsOf(m, true),
    );
    return {
      start: team[0].start,
      end: team[0].end,
      proIds: ids(team),
      score: total(parts),
      travelMinutes: team.reduce((sum, m) => sum + m.travelMinutes, 0),
      parts,
    };
  });
}

/** The score's parts; reasons are only written for slots that are shown. */
function partsOf(s: Scored, explain: boolean): ScorePart[] {
  const reason = (text: () => string) => (explain ? text() : '');
  const parts: ScorePart[] = [
    {
      name: 'travel',
      points: -round(s.addedMinutes * TRAVEL_WEIGHT),
      reason: reason(
        () => `adds ${s.addedMinutes} min of travel between ${s.before} and ${s.after}`,
      ),
    },
    {
      name: 'packing',
      points: -round(s.strandedMinutes * PACKING_WEIGHT),
      reason: reason(() => `leaves ${s.strandedMinutes} min too short for another visit`),
    },
  ];
  if (s.preferred)
    parts.push({
      name: 'preference',
      points: PREFERRED_PRO_BONUS,
      reason: reason(() => `${s.proId} is a preferred Pro`),
    });
  if (s.offDay)
    parts.push({
      name: 'preference',
      points: -PREFERENCE_MISS,
      reason: reason(() => 'not on a preferred day'),
    });
  if (s.offHours)
    parts.push({
      name: 'preference',
      points: -PREFERENCE_MISS,
      reason: reason(() => 'outside the preferred hours'),
    });
  return parts;
}

function total(parts: readonly ScorePart[]): number {
  return round(parts.reduce((sum, p) => sum + p.points, 0));
}

function round(value: number): number {
  return Math.round(value * 10) / 10 + 0;
}

function compareIds(a: readonly string[], b: readonly string[]): number {
  const x = a.join(',');
  const y = b.join(',');
  return x < y ? -1 : x > y ? 1 : 0;
}
