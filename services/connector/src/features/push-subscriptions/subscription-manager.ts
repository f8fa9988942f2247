import { randomBytes, randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { providers } from '@cs/contracts';
import { CLOCK, type Clock, backoffDelay, SerialPasses } from '@cs/eventing';
import type {
  CalendarProvider,
  CalendarRef,
  Credentials,
  PushSubscription,
} from '../../domain/provider/calendar-provider';
import { ProviderError } from '../../domain/provider/provider-error';
import { ProviderRegistry } from '../../domain/provider/provider-registry';
import { ConnectionStore } from '../../infrastructure/connections/connection-store';
import { FreshCredentials } from '../../infrastructure/oauth/fresh-credentials';
import { ChangeNotifications } from '../receive-webhooks/change-notifications';
import { PUSH_CONFIG, type PushConfig, webhookUrl } from './push-config';
import {
  PushSubscriptionStore,
  type PushRow,
} from '../../infrastructure/push-subscriptions/push-subscription-store';

const BATCH = 20;
/** Long enough for a slow provider call; a crashed instance's work is taken over after it. */
const LEASE_MS = 2 * 60_000;

const granted = (row: PushRow): PushSubscription => ({
  subscriptionId: row.providerSubscriptionId ?? '',
  resourceId: row.resourceId,
  expiresAt: row.expiresAt?.getTime() ?? 0,
});

interface Target {
  row: PushRow;
  adapter: CalendarProvider;
  ref: CalendarRef;
  credentials: Credentials;
  notificationUrl: string;
  proId: string;
}

/**
 * Keeps a push channel on every busy-source calendar whose provider has one: opens it once the
 * calendar is known, renews it before it expires (Google by a new channel, then stopping the
 * old), answers lifecycle requests, and stops it when the calendar stops counting. A failure
 * never blocks the connection: it is logged and retried with backoff while polling covers.
 */
@Injectable()
export class SubscriptionManager implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('PushSubscriptions');
  private timer: NodeJS.Timeout | undefined;
  private readonly passes = new SerialPasses(
    () => this.pass(),
    (error: unknown) =>
      this.logger.warn({ msg: 'push subscription pass failed', error: (error as Error).message }),
  );

  constructor(
    private readonly store: PushSubscriptionStore,
    private readonly connections: ConnectionStore,
    private readonly registry: ProviderRegistry,
    private readonly credentials: FreshCredentials,
    private readonly changes: ChangeNotifications,
    @Inject(PUSH_CONFIG) private readonly config: PushConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.baseUrl) {
      this.logger.log({ msg: 'PUBLIC_WEBHOOK_URL is not set: no push, calendars are polled' });
      return;
    }
    this.timer = setInterval(() => this.kick(), this.config.tickMs);
    const baseUrl = this.config.baseUrl;
    void this.store
      .dueWhereMoved((provider) => webhookUrl(baseUrl, provider), [...providers])
      .then((moving) => {
        if (moving > 0) this.logger.log({ msg: 'moving push channels to a new address', moving });
        this.kick();
      })
      .catch((error: Error) =>
        this.logger.warn({ msg: 'push channel addresses not checked', error: error.message }),
      );
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.passes.stop();
  }

  /** Looks for work now (or right after the pass under way). */
  kick(): void {
    if (this.config.baseUrl) this.passes.kick();
  }

  /**
   * Stops a connection's channels while its credentials still exist (DELETE runs this before
   * forgetting them). Best effort: a channel that cannot be stopped expires on its own, and
   * its notifications meet no subscription any more.
   */
  async stopConnection(connectionId: string): Promise<void> {
    const rows = (await this.store.forgetConnection(connectionId)).filter(
      (r) => r.channelId !== null,
    );
    if (rows.length === 0) return;
    const targets = await this.targets(rows, '').catch((error: unknown) => {
      this.logger.warn({ msg: 'cannot stop push channels', connectionId, error: messageOf(error) });
      return [];
    });
    await Promise.all(
      targets.map(({ row, adapter, ref, credentials }) =>
        adapter.unsubscribe?.(credentials, ref, granted(row)).catch((error: unknown) =>
          this.logger.warn({
            msg: 'push channel not stopped; it will expire',
            calendarId: row.calendarId,
            error: messageOf(error),
          }),
        ),
      ),
    );
  }

  private async pass(): Promise<void> {
    const rows = await this.store.claimDue(BATCH, LEASE_MS);
    await Promise.all(rows.map((row) => this.settle(row)));
  }

  private async settle(row: PushRow): Promise<void> {
    try {
      await this.act(row);
    } catch (error) {
      const known = error instanceof ProviderError;
      const waitMs =
        (known ? error.retryAfterMs : null) ??
        backoffDelay(row.failures + 1, 1_000, this.config.maxBackoffMs);
      this.logger[known ? 'warn' : 'error']({
        msg: 'push subscription failed; polling covers the calendar meanwhile',
        calendarId: row.calendarId,
        provider: row.provider,
        error: known ? error.message : (error as Error).message,
        retryInMs: waitMs,
      });
      await this.store.failed(row, messageOf(error), new Date(this.clock.now().getTime() + waitMs));
    }
  }

  private async act(row: PushRow): Promise<void> {
    const connection = await this.connections.find(row.connectionId);
    const calendar = connection
      ? (await this.connections.calendars([row.connectionId])).find(
          (c) => c.calendarId === row.calendarId,
        )
      : undefined;
    const adapter = this.registry.has(row.provider) ? this.registry.get(row.provider) : null;
    // Removed connections took their credentials along: nothing left to stop it with.
    if (!connection || !calendar || !adapter?.subscribe) return this.store.forget(row);
    const wanted = calendar.busySource && connection.status !== 'pending_authorization';
    if (!wanted && row.channelId === null) return this.store.stopped(row);
    const [target] = await this.targets([row], webhookUrl(this.config.baseUrl!, row.provider));
    if (!target) return this.store.forget(row);
    if (!wanted) {
      await target.adapter.unsubscribe?.(target.credentials, target.ref, granted(row));
      return this.store.stopped(row);
    }
    const now = this.clock.now().getTime();
    const expiresAt = row.expiresAt?.getTime() ?? 0;
    if (
      row.channelId === null ||
      row.requested === 'resubscribe' ||
      expiresAt <= now ||
      row.notificationUrl !== target.notificationUrl
    )
      return this.open(target);
    if (row.requested === 'renew' || expiresAt - now <= this.config.renewBeforeMs)
      return this.renew(target);
    await this.store.later(row, new Date(this.renewAt(expiresAt, now)));
  }

  private async open(target: Target): Promise<void> {
    const { row, adapter, ref, credentials, notificationUrl } = target;
    if (row.channelId !== null && adapter.unsubscribe)
      await adapter.unsubscribe(credentials, ref, granted(row)).catch((error: unknown) =>
        this.logger.warn({
          msg: 'old push channel not stopped',
          calendarId: row.calendarId,
          error: messageOf(error),
        }),
      );
    const channelId = randomUUID();
    const token = randomBytes(32).toString('base64url');
    await this.store.opening(row, channelId, token);
    const subscription = await adapter.subscribe!(credentials, ref, {
      notificationUrl,
      token,
      channelId,
    });
    await this.keep(target, channelId, subscription);
  }

  private async renew(target: Target): Promise<void> {
    const { row, adapter, ref, credentials, notificationUrl } = target;
    const token = this.store.token(row);
    if (token === null || !adapter.renew) return this.open(target);
    const channelId = randomUUID();
    await this.store.opening(row, channelId, null);
    let subscription: PushSubscription;
    try {
      subscription = await adapter.renew(credentials, ref, granted(row), {
        notificationUrl,
        token,
        channelId,
      });
    } catch (error) {
      // Gone at the provider (expired, removed): start a new one instead.
      if (error instanceof ProviderError && error.kind === 'not_found') return this.open(target);
      throw error;
    }
    await this.keep(target, channelId, subscription);
  }

  /**
   * Records what the provider granted; if the connection went meanwhile, stops it again.
   * Otherwise the calendar is read at once: a change made before the channel opened (or while
   * it was being renewed) was never notified, and the next poll may be minutes away.
   */
  private async keep(
    { row, adapter, ref, credentials, notificationUrl, proId }: Target,
    channelId: string,
    subscription: PushSubscription,
  ): Promise<void> {
    const now = this.clock.now().getTime();
    const kept = await this.store.opened(
      row,
      channelId,
      subscription,
      notificationUrl,
      new Date(this.renewAt(subscription.expiresAt, now)),
    );
    if (!kept) {
      await adapter.unsubscribe?.(credentials, ref, subscription).catch(() => undefined);
      return;
    }
    await this.changes.record(new Map([[{ ...row, proId }, 'subscribed']]));
  }

  /** Renewal margin before expiry; halfway for a channel granted for less than twice that. */
  private renewAt(expiresAt: number, now: number): number {
    return Math.max(expiresAt - this.config.renewBeforeMs, now + (expiresAt - now) / 2);
  }

  /** What acting on the rows needs: the adapter, each calendar, fresh credentials (fetched once). */
  private async targets(rows: PushRow[], notificationUrl: string): Promise<Target[]> {
    const first = rows[0];
    if (!first) return [];
    const connection = await this.connections.find(first.connectionId);
    if (!connection || !this.registry.has(connection.provider)) return [];
    const adapter = this.registry.get(connection.provider);
    const calendars = await this.connections.calendars([first.connectionId]);
    // The provider calls below need a live token.
    const credentials = await this.credentials.of(first.connectionId);
    return rows.flatMap((row) => {
      const calendar = calendars.find((c) => c.calendarId === row.calendarId);
      if (!calendar) return [];
      const ref = {
        calendarId: calendar.calendarId,
        url: calendar.url,
        supportsDelta: calendar.supportsDelta,
      };
      return [{ row, adapter, ref, credentials, notificationUrl, proId: connection.proId }];
    });
  }
}

const messageOf = (error: unknown) =>
  error instanceof ProviderError ? error.message : 'internal error';
