import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type EventInstance,
  expandEvent,
  type IcalEvent,
  type Interval,
  ianaZone,
  instantToLocal,
  type TimeZone,
} from '../src';

export function zone(id: string): TimeZone {
  const found = ianaZone(id);
  if (!found) throw new Error(`test zone ${id} unknown`);
  return found;
}

/** `YYYY-MM-DD HH:MM` on the wall clock of `zoneId`. */
export function local(instant: number, zoneId: string): string {
  return new Date(instantToLocal(zone(zoneId), instant))
    .toISOString()
    .slice(0, 16)
    .replace('T', ' ');
}

export function fixture(name: string): string {
  return readFileSync(join(__dirname, 'fixtures', name), 'utf8');
}

export const at = (text: string) => Date.parse(text);

/**
 * The instances a calendar's events give in `window`, each series with its overrides. Which of
 * them are busy is the busy-time rule's to say (libs/scheduling, `busyTime`).
 */
export function instancesIn(
  events: readonly IcalEvent[],
  window: Interval,
  viewerZone: TimeZone,
): EventInstance[] {
  const byUid = new Map<string, { master: IcalEvent | null; overrides: IcalEvent[] }>();
  for (const event of events) {
    const group = byUid.get(event.uid) ?? { master: null, overrides: [] };
    if (event.recurrenceId) group.overrides.push(event);
    else if (!group.master || event.sequence > group.master.sequence) group.master = event;
    byUid.set(event.uid, group);
  }
  return [...byUid.values()]
    .flatMap(({ master, overrides }) =>
      master
        ? expandEvent(master, overrides, window, viewerZone)
        : overrides.flatMap((o) => expandEvent(o, [], window, viewerZone)),
    )
    .sort((a, b) => a.start - b.start || a.end - b.end);
}
