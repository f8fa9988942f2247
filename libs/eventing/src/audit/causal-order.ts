import type { Envelope } from '@cs/contracts';

interface Ordered {
  service: string;
  envelope: Envelope;
}

/**
 * Orders events by `compare` (recording time), except that an event never comes before its cause
 * or before the previous version of its own stream: clocks of different services may disagree,
 * the causation chain does not.
 */
export function causalOrder<T extends Ordered>(
  events: readonly T[],
  compare: (a: T, b: T) => number,
): T[] {
  const sorted = [...events].sort(compare);
  const byId = new Map(sorted.map((event) => [event.envelope.id, event]));
  const previousInStream = new Map<T, T>();
  const lastOfStream = new Map<string, T>();
  for (const event of [...sorted].sort(byStreamVersion)) {
    const key = `${event.service}\u0000${event.envelope.streamId}`;
    const last = lastOfStream.get(key);
    if (last) previousInStream.set(event, last);
    lastOfStream.set(key, event);
  }

  const emitted = new Set<T>();
  const waiting = new Map<T, T[]>();
  const out: T[] = [];
  const unmet = (event: T): T | undefined => {
    const cause = event.envelope.causationId ? byId.get(event.envelope.causationId) : undefined;
    const previous = previousInStream.get(event);
    return [cause, previous].find((dep) => dep && dep !== event && !emitted.has(dep));
  };
  const offer = (event: T) => {
    const blocker = unmet(event);
    if (blocker) {
      waiting.set(blocker, [...(waiting.get(blocker) ?? []), event]);
      return;
    }
    out.push(event);
    emitted.add(event);
    const released = waiting.get(event) ?? [];
    waiting.delete(event);
    for (const next of released.sort(compare)) offer(next);
  };
  for (const event of sorted) offer(event);
  // Only a causation cycle, which a correct log cannot hold, leaves anything waiting.
  const stuck = [...waiting.values()].flat().filter((event) => !emitted.has(event));
  return [...out, ...stuck.sort(compare)];
}

function byStreamVersion(a: Ordered, b: Ordered): number {
  return a.envelope.streamVersion - b.envelope.streamVersion;
}
