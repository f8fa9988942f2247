import { type Slot } from '../slots/availability';

export interface ProSlots {
  readonly proId: string;
  readonly slots: readonly Slot[];
}

export interface GroupSlot extends Slot {
  /** Every Pro free for the whole slot, sorted. */
  readonly proIds: readonly string[];
}

/** Slots at which at least `prosNeeded` of the given Pros are all free (group bookings). */
export function commonSlots(pros: readonly ProSlots[], prosNeeded: number): GroupSlot[] {
  const free = new Map<string, { slot: Slot; proIds: string[] }>();
  for (const { proId, slots } of pros) {
    for (const slot of slots) {
      const key = `${slot.start}:${slot.end}`;
      const entry = free.get(key) ?? { slot, proIds: [] };
      entry.proIds.push(proId);
      free.set(key, entry);
    }
  }
  return [...free.values()]
    .filter((e) => e.proIds.length >= prosNeeded)
    .map((e) => ({ start: e.slot.start, end: e.slot.end, proIds: [...new Set(e.proIds)].sort() }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
}
