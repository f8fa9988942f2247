import type { Pool, PoolClient } from 'pg';
import type { Credentials } from '../../domain/provider/calendar-provider';
import type { Provider } from '../../domain/provider/provider';
import type { CredentialCipher } from '../credentials/credential-cipher';
import type { SealedColumn } from '../credentials/sealed-column';

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

const connectionColumns = `connection_id AS "connectionId", pro_id AS "proId", provider, status, endpoint, created_at AS "createdAt"`;
const calendarColumns = (t = 'connection_calendars') =>
  `${t}.calendar_id AS "calendarId", ${t}.connection_id AS "connectionId", ${t}.url, ${t}.name, ${t}.color,
   ${t}.writable, ${t}.supports_delta AS "supportsDelta", ${t}.busy_source AS "busySource",
   ${t}.write_target AS "writeTarget", ${t}.all_day_blocks AS "allDayBlocks"`;

/** Where connections keep their credentials, bound to the connection id. */
export const connectionSecrets: SealedColumn = {
  table: 'connections',
  id: 'connection_id',
  sealed: 'sealed_credentials',
  boundTo: (connectionId) => connectionId,
  where: 'removed_at IS NULL',
};

/** Connections and their calendars; credentials go in sealed and come out only through `credentials`. */
export class ConnectionStore {
  constructor(
    private readonly pool: Pool,
    private readonly cipher: CredentialCipher,
  ) {}

  async insert(
    tx: PoolClient,
    connection: ConnectionRow,
    credentials: Credentials,
    calendars: CalendarRow[],
    idempotencyKey: string | null,
  ): Promise<void> {
    const sealed = this.cipher.seal(JSON.stringify(credentials), connection.connectionId);
    await tx.query(
      `INSERT INTO connections (connection_id, pro_id, provider, status, endpoint, key_id, sealed_credentials, idempotency_key, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        connection.connectionId,
        connection.proId,
        connection.provider,
        connection.status,
        connection.endpoint,
        sealed.keyId,
        sealed.ciphertext,
        idempotencyKey,
        connection.createdAt,
      ],
    );
    await this.insertCalendars(tx, calendars);
  }

  async insertCalendars(tx: PoolClient, calendars: CalendarRow[]): Promise<void> {
    for (const [position, c] of calendars.entries()) {
      await tx.query(
        `INSERT INTO connection_calendars (calendar_id, connection_id, position, url, name, color, writable, supports_delta, busy_source, write_target, all_day_blocks)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          c.calendarId,
          c.connectionId,
          position,
          c.url,
          c.name,
          c.color,
          c.writable,
          c.supportsDelta,
          c.busySource,
          c.writeTarget,
          c.allDayBlocks,
        ],
      );
    }
  }

  /** A pending connection becomes usable: its credentials and calendars are known now. */
  async activate(
    tx: PoolClient,
    connectionId: string,
    credentials: Credentials,
    calendars: CalendarRow[],
  ): Promise<void> {
    await this.saveCredentials(connectionId, credentials, tx);
    await tx.query(`UPDATE connections SET status = 'active' WHERE connection_id = $1`, [
      connectionId,
    ]);
    await this.insertCalendars(tx, calendars);
  }

  /** Seals credentials again after they changed (a refreshed access token). */
  async saveCredentials(
    connectionId: string,
    credentials: Credentials,
    db: Pool | PoolClient = this.pool,
  ): Promise<void> {
    const sealed = this.cipher.seal(JSON.stringify(credentials), connectionId);
    await db.query(
      `UPDATE connections SET key_id = $2, sealed_credentials = $3 WHERE connection_id = $1 AND removed_at IS NULL`,
      [connectionId, sealed.keyId, sealed.ciphertext],
    );
  }

  async byIdempotencyKey(proId: string, key: string): Promise<ConnectionRow | null> {
    const { rows } = await this.pool.query<ConnectionRow>(
      `SELECT ${connectionColumns} FROM connections WHERE pro_id = $1 AND idempotency_key = $2`,
      [proId, key],
    );
    return rows[0] ?? null;
  }

  async find(
    connectionId: string,
    db: Pool | PoolClient = this.pool,
  ): Promise<ConnectionRow | null> {
    const { rows } = await db.query<ConnectionRow>(
      `SELECT ${connectionColumns} FROM connections WHERE connection_id = $1 AND removed_at IS NULL`,
      [connectionId],
    );
    return rows[0] ?? null;
  }

  async forPro(proId: string): Promise<ConnectionRow[]> {
    const { rows } = await this.pool.query<ConnectionRow>(
      `SELECT ${connectionColumns} FROM connections WHERE pro_id = $1 AND removed_at IS NULL ORDER BY created_at`,
      [proId],
    );
    return rows;
  }

  async calendars(
    connectionIds: string[],
    db: Pool | PoolClient = this.pool,
  ): Promise<CalendarRow[]> {
    const { rows } = await db.query<CalendarRow>(
      `SELECT ${calendarColumns()} FROM connection_calendars WHERE connection_id = ANY($1) ORDER BY connection_id, position`,
      [connectionIds],
    );
    return rows;
  }

  /** The Pro's calendars in every live connection (one write target per Pro). */
  async calendarsOfPro(proId: string, db: Pool | PoolClient = this.pool): Promise<CalendarRow[]> {
    const { rows } = await db.query<CalendarRow>(
      `SELECT ${calendarColumns('cc')}
         FROM connection_calendars cc JOIN connections c USING (connection_id)
        WHERE c.pro_id = $1 AND c.removed_at IS NULL ORDER BY cc.connection_id, cc.position`,
      [proId],
    );
    return rows;
  }

  async updateCalendar(tx: PoolClient, calendar: CalendarRow): Promise<void> {
    await tx.query(
      `UPDATE connection_calendars SET busy_source = $2, write_target = $3, all_day_blocks = $4 WHERE calendar_id = $1`,
      [calendar.calendarId, calendar.busySource, calendar.writeTarget, calendar.allDayBlocks],
    );
  }

  async markRemoved(tx: PoolClient, connectionId: string, at: Date): Promise<void> {
    // The credentials go with it: a removed connection must not be usable again.
    await tx.query(
      `UPDATE connections SET removed_at = $2, sealed_credentials = '', key_id = '' WHERE connection_id = $1`,
      [connectionId, at],
    );
  }

  async credentials(connectionId: string): Promise<Credentials> {
    const { rows } = await this.pool.query<{ key_id: string; sealed_credentials: string }>(
      'SELECT key_id, sealed_credentials FROM connections WHERE connection_id = $1 AND removed_at IS NULL',
      [connectionId],
    );
    const row = rows[0];
    if (!row) throw new Error(`no connection ${connectionId}`);
    return JSON.parse(
      this.cipher.open({ keyId: row.key_id, ciphertext: row.sealed_credentials }, connectionId),
    ) as Credentials;
  }
}
