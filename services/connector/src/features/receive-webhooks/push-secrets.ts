import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { PG_POOL, SchemaListener, SerialPasses } from '@cs/eventing';
import { ProblemException } from '@cs/platform';
import { Pool } from 'pg';
import {
  PushSubscriptionStore,
  type PushTargetRow,
} from '../../infrastructure/push-subscriptions/push-subscription-store';
import { type KnownSubscription, PushSecretIndex } from './push-secret-index';

const CHANNEL_PREFIX = 'push_secrets:';
/**
 * How long a webhook naming no known subscription waits for one to be announced. A secret is
 * committed, and announced, before the provider is asked to open the channel, so the provider's
 * first message comes after the announcement; this only covers its delivery here.
 */
const MISS_WAIT_MS = 500;
/** Webhooks waiting so at once; beyond this a miss is refused at once. */
const MAX_WAITING = 1_000;
/** Database lookups per second while this copy cannot be trusted (not yet loaded, or deaf). */
const FALLBACK_PER_SECOND = 20;

/**
 * The secrets every webhook is checked against, kept in this instance's memory so that a forged
 * request is refused without a database query: loaded at start, then kept fresh by the
 * `push_secrets:<schema>` announcements the database makes whenever a subscription is opened,
 * renewed, stopped or its connection removed, whichever instance did it. While the copy cannot
 * be trusted (before the load, or while the listening connection is re-established) a webhook is
 * looked up in the database instead, at most `FALLBACK_PER_SECOND` times a second (503 beyond).
 */
@Injectable()
export class PushSecrets implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('PushSecrets');
  private readonly index = new PushSecretIndex();
  private readonly heardCalendars = new Set<string>();
  private readonly heardConnections = new Set<string>();
  private readonly refreshes = new SerialPasses(
    () => this.refresh(),
    (error: unknown) => {
      this.logger.warn({ msg: 'push secrets not refreshed', error: (error as Error).message });
      this.listener.relisten();
    },
  );
  private readonly listener: SchemaListener;
  private readonly lookingUp = new Map<string, Promise<unknown>>();
  private refill: NodeJS.Timeout | undefined;
  private trusted = false;
  private waiting = 0;
  private fallbackLeft = FALLBACK_PER_SECOND;

  constructor(
    @Inject(PG_POOL) pool: Pool,
    private readonly store: PushSubscriptionStore,
  ) {
    this.listener = new SchemaListener({
      pool,
      channelPrefix: CHANNEL_PREFIX,
      onNotification: (payload) => this.heard(payload),
      onListening: (current) => this.load(current),
      onLost: () => (this.trusted = false),
      onError: (error) =>
        this.logger.warn({ msg: 'cannot listen for push secrets', error: error.message }),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.refill = setInterval(() => (this.fallbackLeft = FALLBACK_PER_SECOND), 1_000).unref();
    await this.listener.start();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.refill);
    this.listener.stop();
    await this.refreshes.stop();
  }

  /** The secret of a row this service handed out. */
  secretOf(row: PushTargetRow): string | null {
    const known = this.index.secretOf(row);
    return known === undefined ? this.store.token(row) : known;
  }

  channel(provider: 'google', channelId: string): Promise<PushTargetRow | null> {
    return this.find(
      `${provider}:channel:${channelId}`,
      () => this.index.channel(provider, channelId) ?? null,
      () => this.store.byChannel(provider, channelId),
    );
  }

  /**
   * Graph: the rows these notifications may belong to. `complete` says whether they name only
   * what is known; if not, the answer waits for a subscription being announced.
   */
  subscriptions(
    provider: 'microsoft',
    ids: string[],
    complete: (rows: PushTargetRow[]) => boolean,
  ): Promise<PushTargetRow[]> {
    return this.find(
      `${provider}:subscriptions:${ids.join(',')}`,
      () => {
        const rows = this.index.subscriptions(provider, ids);
        return complete(rows) ? rows : null;
      },
      () => this.store.bySubscriptionIds(provider, ids),
    ).then((rows) => rows ?? this.index.subscriptions(provider, ids));
  }

  resource(provider: 'calendly', resourceId: string): Promise<PushTargetRow[]> {
    return this.find(
      `${provider}:resource:${resourceId}`,
      () => {
        const rows = this.index.resource(provider, resourceId);
        return rows.length > 0 ? rows : null;
      },
      () => this.store.byResource(provider, resourceId),
    ).then((rows) => rows ?? []);
  }

  private async find<T>(
    key: string,
    fromMemory: () => T | null,
    fromDatabase: () => Promise<T | null>,
  ): Promise<T | null> {
    if (this.trusted) {
      const found = fromMemory();
      if (found !== null || this.waiting >= MAX_WAITING) return found;
      this.waiting += 1;
      try {
        const announced = await this.index.until(fromMemory, MISS_WAIT_MS);
        if (announced !== null || this.trusted) return announced;
      } finally {
        this.waiting -= 1;
      }
    }
    return this.lookUp(key, fromDatabase);
  }

  private lookUp<T>(key: string, fromDatabase: () => Promise<T | null>): Promise<T | null> {
    const running = this.lookingUp.get(key) as Promise<T | null> | undefined;
    if (running) return running;
    if (this.fallbackLeft <= 0)
      throw new ProblemException({
        status: 503,
        type: 'webhook-unavailable',
        detail: 'the notification cannot be verified right now; try again',
        retryAfterSeconds: 1,
      });
    this.fallbackLeft -= 1;
    const lookup = fromDatabase().finally(() => this.lookingUp.delete(key));
    this.lookingUp.set(key, lookup);
    return lookup;
  }

  /** Listening first: what changes during the load is heard and read again after it. */
  private async load(current: () => boolean): Promise<void> {
    const all = await this.store.live();
    this.index.clear();
    this.index.replace(this.known(all), { calendarIds: [], connectionIds: new Set() });
    this.trusted = current();
    this.refreshes.kick();
  }

  private heard(payload: string): void {
    const id = payload.slice(2);
    if (payload.startsWith('p:')) this.heardCalendars.add(id);
    else if (payload.startsWith('c:')) this.heardConnections.add(id);
    // During the load, what is heard waits for it: an older snapshot must not land last.
    if (this.trusted) this.refreshes.kick();
  }

  private async refresh(): Promise<void> {
    const calendarIds = [...this.heardCalendars];
    const connectionIds = new Set(this.heardConnections);
    this.heardCalendars.clear();
    this.heardConnections.clear();
    if (calendarIds.length + connectionIds.size === 0) return;
    const rows = await this.store.live({ calendarIds, connectionIds: [...connectionIds] });
    this.index.replace(this.known(rows), { calendarIds, connectionIds });
  }

  private known(rows: PushTargetRow[]): KnownSubscription[] {
    return rows.map((row) => ({ row, secret: this.store.token(row) }));
  }
}
