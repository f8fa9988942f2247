import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One calendar of a connection, in the order the provider listed them. */
@Entity({ name: 'connection_calendars' })
export class ConnectionCalendarRecord {
  @PrimaryColumn({ name: 'calendar_id', type: 'text' })
  calendarId!: string;

  @Column({ name: 'connection_id', type: 'text' })
  connectionId!: string;

  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'text' })
  url!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', nullable: true })
  color!: string | null;

  @Column({ type: 'boolean' })
  writable!: boolean;

  @Column({ name: 'supports_delta', type: 'boolean' })
  supportsDelta!: boolean;

  @Column({ name: 'busy_source', type: 'boolean' })
  busySource!: boolean;

  @Column({ name: 'write_target', type: 'boolean' })
  writeTarget!: boolean;

  @Column({ name: 'all_day_blocks', type: 'boolean' })
  allDayBlocks!: boolean;
}
