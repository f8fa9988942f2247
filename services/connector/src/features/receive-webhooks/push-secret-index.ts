import type { PushTargetRow } from '../../infrastructure/push-subscriptions/push-subscription-store';

/** A live subscription with the secret its provider echoes, opened once when it was loaded. */
export interface KnownSubscription {
  row: PushTargetRow;
  secret: string | null;
}

const add = (index: Map<string, Set<string>>, key: string | null, calendarId: string) => {
  if (key === null) return;
  const set = index.get(key) ?? new Set<string>();
  set.add(calendarId);
  index.set(key, set);
};
const drop = (index: Map<string, Set<string>>, key: string | null, calendarId: string) => {
  if (key === null) return;
  const set = index.get(key);
  set?.delete(calendarId);
  if (set?.size === 0) index.delete(key);
};

/**
 * This instance's copy of every live push subscription, found by what a webhook names: a
 * Google channel (in use or being opened), a Graph subscription id, a Calendly owner. Graph
 * may notify a subscription before its id is stored, so those being opened are kept apart.
 */
export class PushSecretIndex {
  private readonly byCalendar = new Map<string, KnownSubscription>();
  private readonly byChannel = new Map<string, Set<string>>();
  private readonly bySubscription = new Map<string, Set<string>>();
  private readonly byResource = new Map<string, Set<string>>();
  private readonly opening = new Set<string>();
  private readonly waiters = new Set<() => void>();

  get size(): number {
    return this.byCalendar.size;
  }

  /** Replaces what is known of these calendars and connections with `known`. */
  replace(
    known: readonly KnownSubscription[],
    gone: { calendarIds: Iterable<string>; connectionIds: ReadonlySet<string> },
  ): void {
    for (const calendarId of gone.calendarIds) this.remove(calendarId);
    if (gone.connectionIds.size > 0)
      for (const [calendarId, { row }] of this.byCalendar)
        if (gone.connectionIds.has(row.connectionId)) this.remove(calendarId);
    for (const subscription of known) this.put(subscription);
    this.wake();
  }

  /** Forgets everything (before a full reload). */
  clear(): void {
    for (const calendarId of [...this.byCalendar.keys()]) this.remove(calendarId);
  }

  secretOf(row: PushTargetRow): string | null | undefined {
    const known = this.byCalendar.get(row.calendarId);
    return known?.row === row ? known.secret : undefined;
  }

  channel(provider: string, channelId: string): PushTargetRow | undefined {
    return this.rows(this.byChannel, channelId).find((r) => r.provider === provider);
  }

  /** The subscriptions with these ids, and every one being opened. */
  subscriptions(provider: string, ids: readonly string[]): PushTargetRow[] {
    const found = new Map<string, PushTargetRow>();
    for (const id of ids)
      for (const row of this.rows(this.bySubscription, id)) found.set(row.calendarId, row);
    for (const calendarId of this.opening) {
      const row = this.byCalendar.get(calendarId)!.row;
      found.set(calendarId, row);
    }
    return [...found.values()].filter((r) => r.provider === provider);
  }

  resource(provider: string, resourceId: string): PushTargetRow[] {
    return this.rows(this.byResource, resourceId).filter((r) => r.provider === provider);
  }

  /** Looks again after each change until `find` finds something or `ms` have passed. */
  until<T>(find: () => T | null, ms: number): Promise<T | null> {
    return new Promise((resolve) => {
      const settle = (found: T | null) => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(found);
      };
      const waiter = () => {
        const found = find();
        if (found !== null) settle(found);
      };
      const timer = setTimeout(() => settle(null), ms);
      this.waiters.add(waiter);
    });
  }

  private rows(index: Map<string, Set<string>>, key: string): PushTargetRow[] {
    return [...(index.get(key) ?? [])].map((calendarId) => this.byCalendar.get(calendarId)!.row);
  }

  private put(subscription: KnownSubscription): void {
    const { row } = subscription;
    this.remove(row.calendarId);
    this.byCalendar.set(row.calendarId, subscription);
    add(this.byChannel, row.channelId, row.calendarId);
    add(this.byChannel, row.pendingChannelId, row.calendarId);
    add(this.bySubscription, row.providerSubscriptionId, row.calendarId);
    add(this.byResource, row.resourceId, row.calendarId);
    if (row.pendingChannelId !== null) this.opening.add(row.calendarId);
  }

  private remove(calendarId: string): void {
    const known = this.byCalendar.get(calendarId);
    if (!known) return;
    const { row } = known;
    this.byCalendar.delete(calendarId);
    drop(this.byChannel, row.channelId, calendarId);
    drop(this.byChannel, row.pendingChannelId, calendarId);
    drop(this.bySubscription, row.providerSubscriptionId, calendarId);
    drop(this.byResource, row.resourceId, calendarId);
    this.opening.delete(calendarId);
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
