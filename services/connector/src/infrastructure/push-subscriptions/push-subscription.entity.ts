import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Provider } from '../../domain/provider/provider';

/** What a lifecycle notification asked the manager to do with a channel. */
export type PushRequest = 'renew' | 'resubscribe';

/** A calendar's push channel: the one in use, the one being opened and when to look again. */
@Entity({ name: 'push_subscriptions' })
export class PushSubscriptionRecord {
  @PrimaryColumn({ name: 'calendar_id', type: 'text' })
  calendarId!: string;

  @Column({ name: 'connection_id', type: 'text' })
  connectionId!: string;

  @Column({ type: 'text' })
  provider!: Provider;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'channel_id', type: 'text', nullable: true })
  channelId!: string | null;

  @Column({ name: 'pending_channel_id', type: 'text', nullable: true })
  pendingChannelId!: string | null;

  @Column({ name: 'provider_subscription_id', type: 'text', nullable: true })
  providerSubscriptionId!: string | null;

  @Column({ name: 'resource_id', type: 'text', nullable: true })
  resourceId!: string | null;

  @Column({ name: 'key_id', type: 'text', nullable: true })
  keyId!: string | null;

  @Column({ name: 'sealed_token', type: 'text', nullable: true })
  sealedToken!: string | null;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  requested!: PushRequest | null;

  @Column({ name: 'next_action_at', type: 'timestamptz' })
  nextActionAt!: Date;

  @Column({ type: 'integer' })
  failures!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'notification_url', type: 'text', nullable: true })
  notificationUrl!: string | null;
}
