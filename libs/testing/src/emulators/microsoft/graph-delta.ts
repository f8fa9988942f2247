import { randomToken } from '../shared/random-id';
import { GraphApiError, invalidRequest } from './graph-errors';
import { type GraphEvent, type GraphMailboxStore, refChangeKey, refId } from './graph-store';

interface Round {
  calendarId: string;
  epoch: number;
  window: { start: number; end: number };
  /** What the client will know once the round ends: id → changeKey. */
  known: Map<string, string>;
}

interface PendingPages extends Round {
  items: GraphEvent[];
  zone: string | null;
}

export interface DeltaPage {
  value: GraphEvent[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

/**
 * `calendarView/delta` rounds (https://learn.microsoft.com/en-us/graph/delta-query-events):
 * the first request names the window, every later link carries it; pages end with a
 * `@odata.deltaLink` whose next round returns only what changed, deletions as
 * `@removed`. A round starts with an empty page that still has a next link, as Graph does.
 * State the service no longer has answers 410 `syncStateNotFound`
 * (https://learn.microsoft.com/en-us/graph/delta-query-overview#synchronization-reset).
 */
export class GraphDeltaRounds {
  private readonly deltas = new Map<string, Round>();
  private readonly pages = new Map<string, PendingPages>();

  constructor(private readonly store: GraphMailboxStore) {}

  page(
    calendarId: string,
    query: URLSearchParams,
    zone: string | null,
    pageSize: number,
    link: (token: { skip?: string; delta?: string }) => string,
  ): DeltaPage {
    const skip = query.get('$skiptoken');
    const delta = query.get('$deltatoken');
    let pending: PendingPages;
    if (skip) {
      pending = this.live(this.pages.get(skip), calendarId);
      this.pages.delete(skip);
    } else {
      const previous = delta ? this.live(this.deltas.get(delta), calendarId) : null;
      const window = previous?.window ?? windowOf(query);
      const current = this.store.view(calendarId, window);
      const known = new Map(current.map((ref) => [refId(ref), refChangeKey(ref)]));
      const changed = current.filter(
        (ref) => previous?.known.get(refId(ref)) !== refChangeKey(ref),
      );
      const removed = [...(previous?.known.keys() ?? [])]
        .filter((id) => !known.has(id))
        .map(
          (id) =>
            ({
              '@odata.type': '#microsoft.graph.event',
              id,
              '@removed': { reason: 'deleted' },
            }) as unknown as GraphEvent,
        );
      const round = { calendarId, epoch: this.store.calendar(calendarId).syncEpoch, window, known };
      const items = [...changed.map((ref) => this.store.render(ref, zone)), ...removed];
      if (!previous) {
        const token = randomToken();
        this.pages.set(token, { ...round, items, zone });
        return { value: [], '@odata.nextLink': link({ skip: token }) };
      }
      pending = { ...round, items, zone };
    }
    const value = pending.items.slice(0, pageSize);
    const rest = pending.items.slice(pageSize);
    if (rest.length > 0) {
      const token = randomToken();
      this.pages.set(token, { ...pending, items: rest });
      return { value, '@odata.nextLink': link({ skip: token }) };
    }
    const token = randomToken();
    const { calendarId: c, epoch, window, known } = pending;
    this.deltas.set(token, { calendarId: c, epoch, window, known });
    return { value, '@odata.deltaLink': link({ delta: token }) };
  }

  private live<T extends Round>(round: T | undefined, calendarId: string): T {
    if (
      !round ||
      round.calendarId !== calendarId ||
      round.epoch !== this.store.calendar(calendarId).syncEpoch
    )
      throw new GraphApiError(
        410,
        'syncStateNotFound',
        'The sync state generation is not found. Please do a full sync.',
      );
    return round;
  }
}

function windowOf(query: URLSearchParams) {
  const param = (name: string) =>
    [...query.entries()].find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
  const start = Date.parse(param('startDateTime') ?? '');
  const end = Date.parse(param('endDateTime') ?? '');
  if (Number.isNaN(start) || Number.isNaN(end))
    throw invalidRequest(
      'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.',
    );
  return { start, end };
}
