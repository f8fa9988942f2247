import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Provider } from '../../domain/provider/provider';

/** A Pro's connection to a provider; its credentials sealed, bound to the connection id. */
@Entity({ name: 'connections' })
export class ConnectionRecord {
  @PrimaryColumn({ name: 'connection_id', type: 'text' })
  connectionId!: string;

  @Column({ name: 'pro_id', type: 'text' })
  proId!: string;

  @Column({ type: 'text' })
  provider!: Provider;

  @Column({ type: 'text' })
  status!: 'active' | 'pending_authorization' | 'reauth_required';

  @Column({ type: 'text' })
  endpoint!: string;

  @Column({ name: 'key_id', type: 'text' })
  keyId!: string;

  @Column({ name: 'sealed_credentials', type: 'text' })
  sealedCredentials!: string;

  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'removed_at', type: 'timestamptz', nullable: true })
  removedAt!: Date | null;
}
