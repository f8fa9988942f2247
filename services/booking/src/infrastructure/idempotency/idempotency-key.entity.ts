import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A command's Idempotency-Key with the answer it got (null until the command commits). */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyKey {
  /** Keys belong to the caller that sent them. */
  @PrimaryColumn({ type: 'text' })
  scope!: string;

  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ name: 'request_hash', type: 'text' })
  requestHash!: string;

  @Column({ type: 'integer', nullable: true })
  status!: number | null;

  @Column({ type: 'jsonb', nullable: true })
  response!: object | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
