import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A registered contact, as `PUT /v1/contacts/{kind}/{id}` stored it. */
@Entity({ name: 'contacts' })
export class ContactRecord {
  @PrimaryColumn({ name: 'kind', type: 'text' })
  kind!: 'pro' | 'client';

  @PrimaryColumn({ name: 'id', type: 'text' })
  id!: string;

  @Column({ name: 'name', type: 'text' })
  name!: string;

  @Column({ name: 'email', type: 'text', nullable: true })
  email!: string | null;

  @Column({ name: 'phone', type: 'text', nullable: true })
  phone!: string | null;

  @Column({ name: 'locale', type: 'text' })
  locale!: string;

  @Column({ name: 'time_zone', type: 'text' })
  timeZone!: string;

  @Column({ name: 'reminder_offsets_minutes', type: 'integer', array: true, nullable: true })
  reminderOffsetsMinutes!: number[] | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
