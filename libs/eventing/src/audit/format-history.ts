import type { Cause, HistoryEntry } from './history';

const DATA_WIDTH = 240;

/** One JSON object per event: the envelope, where it was recorded and what caused it. */
export function historyJsonLines(entries: readonly HistoryEntry[]): string[] {
  return entries.map((entry) =>
    JSON.stringify({
      service: entry.service,
      position: entry.position,
      ...entry.envelope,
      cause: entry.cause,
    }),
  );
}

/** Three lines per event for people: what, why (causation and correlation), and its data. */
export function historyText(entries: readonly HistoryEntry[]): string[] {
  const numberOf = new Map(entries.map((entry, index) => [entry.envelope.id, index + 1]));
  return entries.flatMap((entry, index) => {
    const { envelope } = entry;
    const data = JSON.stringify(envelope.data);
    return [
      `#${index + 1}  ${envelope.recordedAt}  ${entry.service.padEnd(12)}  ${envelope.type}  ` +
        `(${envelope.streamId} v${envelope.streamVersion}, event ${envelope.id})`,
      `    ${describeCause(entry.cause, numberOf)}; correlation ${envelope.correlationId}`,
      `    ${data.length > DATA_WIDTH ? `${data.slice(0, DATA_WIDTH - 1)}…` : data}`,
    ];
  });
}

function describeCause(cause: Cause, numberOf: ReadonlyMap<string, number>): string {
  switch (cause.kind) {
    case 'request':
      return `caused by a request of ${cause.actor.kind} ${cause.actor.id}`;
    case 'event': {
      const { event } = cause;
      const where = `${event.service}, ${event.streamId} v${event.streamVersion}`;
      return cause.inHistory
        ? `caused by #${numberOf.get(event.id)} ${event.type}`
        : `caused by ${event.type} (${where}, event ${event.id}, outside this history)`;
    }
    case 'unknown':
      return `caused by event ${cause.eventId} (in none of the event stores read)`;
    default: {
      const never: never = cause;
      return never;
    }
  }
}
