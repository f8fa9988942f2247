import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, In, IsNull, type Repository } from 'typeorm';
import type { Credentials } from '../../domain/provider/calendar-provider';
import type { Provider } from '../../domain/provider/provider';
import { CredentialCipher, type SealedColumn } from '@cs/eventing';
import { ConnectionCalendarRecord } from './connection-calendar.entity';
import { ConnectionRecord } from './connection.entity';

export interface ConnectionRow {
  connectionId: string;
  proId: string;
  provider: Provider;
  status: 'active' | 'pending_authorization' | 'reauth_required';
  endpoint: string;
  createdAt: Date;
}

export interface CalendarRow {
  calendarId: string;
  connectionId: string;
  url: string;
  name: string;
  color: string | null;
  writable: boolean;
  supportsDelta: boolean;
  busySource: boolean;
  writeTarget: boolean;
  allDayBlocks: boolean;
}

/** Where connections keep their credentials, bound to the connection id. */
export const connectionSecrets: SealedColumn = {
  table: 'connections',
  id: 'connection_id',
  sealed: 'sealed_credentials',
  boundTo: (connectionId) => connectionId,
  where: 'removed_at IS NULL',
};

/** Connections and their calendars; credentials go in sealed and come out only through `credentials`. */
@Injectable()
export class ConnectionStore {
  constructor(
    @InjectRepository(ConnectionRecord) private readonly rows: Repository<ConnectionRecord>,
    private readonly cipher: CredentialCipher,
  ) {}

  async insert(
    manager: EntityManager,
    connection: ConnectionRow,
    credentials: Credentials,
    calendars: CalendarRow[],
    idempotencyKey: string | null,
  ): Promise<void> {
    const sealed = this.cipher.seal(JSON.stringify(credentials), connection.connectionId);
    await manager.insert(ConnectionRecord, {
      ...connection,
      keyId: sealed.keyId,
      sealedCredentials: sealed.ciphertext,
      idempotencyKey,
    });
    await this.insertCalendars(manager, calendars);
  }

  async insertCalendars(manager: EntityManager, calendars: CalendarRow[]): Promise<void> {
    if (calendars.length === 0) return;
    await manager.insert(
      ConnectionCalendarRecord,
      calendars.map((calendar, position) => ({ ...calendar, position })),
    );
  }

  /** A pending connection becomes usable: its credentials and calendars are known now. */
  async activate(
    manager: EntityManager,
    connectionId: string,
    credentials: Credentials,
    calendars: CalendarRow[],
  ): Promise<void> {
    await this.saveCredentials(connectionId, credentials, manager);
    await manager.update(ConnectionRecord, { connectionId }, { status: 'active' });
    await this.insertCalendars(manager, calendars);
  }

  /** Seals credentials again after they changed (a refreshed access token). */
  async saveCredentials(
    connectionId: string,
    credentials: Credentials,
    manager: EntityManager = this.rows.manager,
  ): Promise<void> {
    const sealed = this.cipher.seal(JSON.stringify(credentials), connectionId);
    await manager.update(
      ConnectionRecord,
      { connectionId, removedAt: IsNull() },
      { keyId: sealed.keyId, sealedCredentials: sealed.ciphertext },
    );
  }

  async byIdempotencyKey(proId: string, idempotencyKey: string): Promise<ConnectionRow | null> {
    const row = await this.rows.findOneBy({ proId, idempotencyKey });
    return row && connectionRow(row);
  }

  async find(
    connectionId: string,
    manager: EntityManager = this.rows.manager,
  ): Promise<ConnectionRow | null> {
    const row = await manager.findOneBy(ConnectionRecord, { connectionId, removedAt: IsNull() });
    return row && connectionRow(row);
  }

  async forPro(proId: string): Promise<ConnectionRow[]> {
    const rows = await this.rows.find({
      where: { proId, removedAt: IsNull() },
      order: { createdAt: 'ASC' },
    });
    return rows.map(connectionRow);
  }

  async calendars(
    connectionIds: string[],
    manager: EntityManager = this.rows.manager,
  ): Promise<CalendarRow[]> {
    const rows = await manager.find(ConnectionCalendarRecord, {
      where: { connectionId: In(connectionIds) },
      order: { connectionId: 'ASC', position: 'ASC' },
    });
    return rows.map(calendarRow);
  }

  /** The Pro's calendars in every live connection (one write target per Pro). */
  async calendarsOfPro(
    proId: string,
    manager: EntityManager = this.rows.manager,
  ): Promise<CalendarRow[]> {
    const rows = await manager
      .createQueryBuilder(ConnectionCalendarRecord, 'cc')
      .innerJoin(ConnectionRecord, 'c', 'c.connection_id = cc.connection_id')
      .where('c.pro_id = :proId AND c.removed_at IS NULL', { proId })
      .orderBy('cc.connection_id')
      .addOrderBy('cc.position')
      .getMany();
    return rows.map(calendarRow);
  }

  /** Serialises changes to one Pro's calendars, so two write targets never coexist. */
  async lockCalendarsOfPro(manager: EntityManager, proId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`pro-calendars:${proId}`]);
  }

  async updateCalendar(manager: EntityManager, calendar: CalendarRow): Promise<void> {
    const { calendarId, busySource, writeTarget, allDayBlocks } = calendar;
    await manager.update(
      ConnectionCalendarRecord,
      { calendarId },
      { busySource, writeTarget, allDayBlocks },
    );
  }

  async markRemoved(manager: EntityManager, connectionId: string, at: Date): Promise<void> {
    // The credentials go with it: a removed connection must not be usable again.
    await manager.update(
      ConnectionRecord,
      { connectionId },
      { removedAt: at, sealedCredentials: '', keyId: '' },
    );
  }

  async credentials(connectionId: string): Promise<Credentials> {
    const row = await this.rows.findOne({
      select: { keyId: true, sealedCredentials: true },
      where: { connectionId, removedAt: IsNull() },
    });
    if (!row) throw new Error(`no connection ${connectionId}`);
    return JSON.parse(
      this.cipher.open({ keyId: row.keyId, ciphertext: row.sealedCredentials }, connectionId),
    ) as Credentials;
  }
}

const connectionRow = (row: ConnectionRecord): ConnectionRow => ({
  connectionId: row.connectionId,
  proId: row.proId,
  provider: row.provider,
  status: row.status,
  endpoint: row.endpoint,
  createdAt: row.createdAt,
});

const calendarRow = (row: ConnectionCalendarRecord): CalendarRow => ({
  calendarId: row.calendarId,
  connectionId: row.connectionId,
  url: row.url,
  name: row.name,
  color: row.color,
  writable: row.writable,
  supportsDelta: row.supportsDelta,
  busySource: row.busySource,
  writeTarget: row.writeTarget,
  allDayBlocks: row.allDayBlocks,
});
