import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { CredentialCipher, PG_POOL, type SealedColumn } from '@cs/eventing';
import { Pool, type PoolClient } from 'pg';
import { In, type Repository } from 'typeorm';
import type { PushSubscription } from '../../domain/provider/calendar-provider';
import type { Provider } from '../../domain/provider/provider';
import { type PushRequest, PushSubscriptionRecord } from './push-subscription.entity';

export interface PushRow {
  calendarId: string;
  connectionId: string;
  provider: Provider;
  version: number;
  channelId: string | null;
  pendingChannelId: string | null;
  providerSubscriptionId: string | null;
  resourceId: string | null;
  keyId: string | null;
  sealedToken: string | null;
  expiresAt: Date | null;
  requested: PushRequest | null;
  failures: number;
  /** Where the provider sends this channel's notifications; null before it was recorded. */
  notificationUrl: string | null;
}

/** A subscription as a webhook meets it: with the Pro it belongs to. */
export interface PushTargetRow extends PushRow {
  proId: string;
}

const columns = (t = 'p') =>
  `${t}.calendar_id AS "calendarId", ${t}.connection_id AS "connectionId", ${t}.provider, ${t}.version,
   ${t}.channel_id AS "channelId", ${t}.pending_channel_id AS "pendingChannelId",
   ${t}.provider_subscription_id AS "providerSubscriptionId", ${t}.resource_id AS "resourceId",
   ${t}.key_id AS "keyId", ${t}.sealed_token AS "sealedToken", ${t}.expires_at AS "expiresAt",
   ${t}.requested, ${t}.failures, ${t}.notification_url AS "notificationUrl"`;

/**
 * Where push subscriptions keep the secret the provider echoes, bound to the calendar. One that
 * cannot be opened is replaced: the manager opens a new channel with a new secret on renewal.
 */
export const pushSecrets: SealedColumn = {
  table: 'push_subscriptions',
  id: 'calendar_id',
  sealed: 'sealed_token',
  boundTo: (calendarId) => `push:${calendarId}`,
  replaceable: true,
};

const live = `SELECT ${columns()}, c.pro_id AS "proId"
  FROM push_subscriptions p JOIN connections c USING (connection_id) WHERE c.removed_at IS NULL`;

// SQL: the push-subscriptions consumer writes these in its transaction, a bare pg client.

/**
 * The connection's calendars changed: its existing rows are looked at again, and a row appears
 * for every busy-source calendar of a provider with push.
 */
export async function touchConnection(
  tx: PoolClient,
  connectionId: string,
  providers: readonly Provider[],
): Promise<void> {
  await tx.query(
    `UPDATE push_subscriptions SET version = version + 1, next_action_at = now() WHERE connection_id = $1`,
    [connectionId],
  );
  await tx.query(
    `INSERT INTO push_subscriptions (calendar_id, connection_id, provider, next_action_at)
     SELECT cc.calendar_id, cc.connection_id, c.provider, now()
       FROM connection_calendars cc JOIN connections c USING (connection_id)
      WHERE cc.connection_id = $1 AND cc.busy_source AND c.removed_at IS NULL AND c.provider = ANY($2)
     ON CONFLICT (calendar_id) DO NOTHING`,
    [connectionId, providers],
  );
}

/** Drops a connection's rows (and Calendly's delivery log), answering what was there. */
export async function forgetConnection(
  db: Pool | PoolClient,
  connectionId: string,
): Promise<PushRow[]> {
  const { rows } = await db.query<PushRow>(
    `DELETE FROM push_subscriptions p WHERE connection_id = $1 RETURNING ${columns()}`,
    [connectionId],
  );
  await db.query(
    `DELETE FROM calendly_deliveries
      WHERE calendar_id IN (SELECT calendar_id FROM connection_calendars WHERE connection_id = $1)`,
    [connectionId],
  );
  return rows;
}

/**
 * Push subscriptions, one row per calendar. The shared secret goes in sealed (bound to the
 * calendar) and comes out only through `token`. Writes by key go through TypeORM; SQL stays
 * where a statement leases rows, compares the row's version inside the write, or joins the
 * connection for its Pro.
 */
@Injectable()
export class PushSubscriptionStore {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @InjectRepository(PushSubscriptionRecord)
    private readonly rows: Repository<PushSubscriptionRecord>,
    private readonly cipher: CredentialCipher,
  ) {}

  forgetConnection(connectionId: string): Promise<PushRow[]> {
    return forgetConnection(this.pool, connectionId);
  }

  /** Due rows, leased so other instances leave them alone while this one works. */
  async claimDue(limit: number, leaseMs: number): Promise<PushRow[]> {
    const { rows } = await this.pool.query<PushRow>(
      `UPDATE push_subscriptions p SET next_action_at = now() + $2 * interval '1 millisecond'
         FROM (SELECT calendar_id FROM push_subscriptions WHERE next_action_at <= now()
                ORDER BY next_action_at LIMIT $1 FOR UPDATE SKIP LOCKED) due
        WHERE p.calendar_id = due.calendar_id RETURNING ${columns()}`,
      [limit, leaseMs],
    );
    return rows;
  }

  token(row: PushRow): string | null {
    if (!row.keyId || !row.sealedToken) return null;
    try {
      return this.cipher.open(
        { keyId: row.keyId, ciphertext: row.sealedToken },
        pushSecrets.boundTo(row.calendarId),
      );
    } catch {
      return null;
    }
  }

  /** Remembers the channel about to be opened (and a new secret), so its first message is known. */
  async opening(row: PushRow, channelId: string, token: string | null): Promise<void> {
    const sealed =
      token === null ? null : this.cipher.seal(token, pushSecrets.boundTo(row.calendarId));
    await this.rows.update(
      { calendarId: row.calendarId },
      {
        pendingChannelId: channelId,
        ...(sealed && { keyId: sealed.keyId, sealedToken: sealed.ciphertext }),
      },
    );
  }

  /**
   * The provider granted the channel. Answers false when the row is gone (the connection was
   * removed meanwhile), so the caller stops what it just opened.
   */
  async opened(
    row: PushRow,
    channelId: string,
    subscription: PushSubscription,
    notificationUrl: string,
    nextActionAt: Date,
  ): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE push_subscriptions SET channel_id = $2, pending_channel_id = NULL,
         provider_subscription_id = $3, resource_id = $4, expires_at = $5, notification_url = $8,
         requested = CASE WHEN version = $7 THEN NULL ELSE requested END,
         failures = 0, last_error = NULL,
         next_action_at = CASE WHEN version = $7 THEN $6 ELSE now() END
       WHERE calendar_id = $1`,
      [
        row.calendarId,
        channelId,
        subscription.subscriptionId,
        subscription.resourceId,
        new Date(subscription.expiresAt),
        nextActionAt,
        row.version,
        notificationUrl,
      ],
    );
    return rowCount === 1;
  }

  /** The channel is stopped and nothing wants it: the row goes, unless it was touched meanwhile. */
  async stopped(row: PushRow): Promise<void> {
    const { affected } = await this.rows.delete({
      calendarId: row.calendarId,
      version: row.version,
    });
    if (affected === 0)
      await this.rows.update(
        { calendarId: row.calendarId },
        {
          channelId: null,
          pendingChannelId: null,
          providerSubscriptionId: null,
          resourceId: null,
          expiresAt: null,
          nextActionAt: () => 'now()',
        },
      );
  }

  async failed(row: PushRow, error: string, nextActionAt: Date): Promise<void> {
    await this.pool.query(
      `UPDATE push_subscriptions SET failures = failures + 1, last_error = $2, pending_channel_id = NULL,
         next_action_at = CASE WHEN version = $4 THEN $3 ELSE now() END
       WHERE calendar_id = $1`,
      [row.calendarId, error.slice(0, 2000), nextActionAt, row.version],
    );
  }

  async later(row: PushRow, nextActionAt: Date): Promise<void> {
    await this.pool.query(
      `UPDATE push_subscriptions SET next_action_at = CASE WHEN version = $3 THEN $2 ELSE now() END
       WHERE calendar_id = $1`,
      [row.calendarId, nextActionAt, row.version],
    );
  }

  async forget(row: PushRow): Promise<void> {
    await this.rows.delete({ calendarId: row.calendarId });
  }

  /**
   * Channels that send somewhere other than where `urlOf` says they should go are due now:
   * the manager moves them (a changed PUBLIC_WEBHOOK_URL).
   */
  async dueWhereMoved(urlOf: (provider: Provider) => string, providers: Provider[]) {
    const { rowCount } = await this.pool.query(
      `UPDATE push_subscriptions p SET next_action_at = now()
         FROM unnest($1::text[], $2::text[]) AS target(provider, url)
        WHERE p.provider = target.provider AND p.channel_id IS NOT NULL
          AND p.notification_url IS DISTINCT FROM target.url`,
      [providers, providers.map(urlOf)],
    );
    return rowCount ?? 0;
  }

  /** A lifecycle notification asked for it: done by the manager, not while the provider waits. */
  async request(calendarIds: string[], what: PushRequest): Promise<void> {
    if (calendarIds.length === 0) return;
    await this.rows.update(
      { calendarId: In(calendarIds) },
      { requested: what, nextActionAt: () => 'now()', version: () => 'version + 1' },
    );
  }

  /** Google: our channel id, the one in use or the one being opened. */
  async byChannel(provider: Provider, channelId: string): Promise<PushTargetRow | null> {
    const { rows } = await this.pool.query<PushTargetRow>(
      `${live} AND p.provider = $1 AND (p.channel_id = $2 OR p.pending_channel_id = $2)`,
      [provider, channelId],
    );
    return rows[0] ?? null;
  }

  /**
   * Graph: the subscription ids the provider gave, and, in the same snapshot, every subscription
   * being opened, whose id the provider may use before we have stored it.
   */
  async bySubscriptionIds(provider: Provider, ids: string[]): Promise<PushTargetRow[]> {
    const { rows } = await this.pool.query<PushTargetRow>(
      `${live} AND p.provider = $1
         AND (p.provider_subscription_id = ANY($2) OR p.pending_channel_id IS NOT NULL)`,
      [provider, ids],
    );
    return rows;
  }

  /** Every live subscription, or those of these calendars and connections. */
  async live(only?: { calendarIds: string[]; connectionIds: string[] }): Promise<PushTargetRow[]> {
    const { rows } = only
      ? await this.pool.query<PushTargetRow>(
          `${live} AND (p.calendar_id = ANY($1) OR p.connection_id = ANY($2))`,
          [only.calendarIds, only.connectionIds],
        )
      : await this.pool.query<PushTargetRow>(live);
    return rows;
  }

  /** Calendly: the user a subscription watches (several connections may share one). */
  async byResource(provider: Provider, resourceId: string): Promise<PushTargetRow[]> {
    const { rows } = await this.pool.query<PushTargetRow>(
      `${live} AND p.provider = $1 AND p.resource_id = $2`,
      [provider, resourceId],
    );
    return rows;
  }
}
