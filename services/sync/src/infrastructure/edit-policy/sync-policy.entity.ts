import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { EditPolicy } from '../../domain/sync-policy/sync-policy';

/** What a Pro chose for edits made in their calendar to bookings the platform mirrored there. */
@Entity({ name: 'sync_policies' })
export class SyncPolicy {
  @PrimaryColumn({ name: 'pro_id', type: 'text' })
  proId!: string;

  @Column({ name: 'mirrored_edits', type: 'text' })
  mirroredEdits!: EditPolicy;
}
