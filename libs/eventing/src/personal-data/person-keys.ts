import { randomBytes } from 'node:crypto';
import type { PersonRef } from '@cs/contracts';
import type { Pool, PoolClient } from 'pg';
import type { CredentialCipher } from '../crypto/credential-cipher';
import { assertSchemaName } from '../postgres/pool';
import type { SealedColumn } from '../crypto/sealed-column';

type Db = Pool | PoolClient;

export interface PersonKey {
  version: number;
  key: Buffer;
}

interface KeyRow {
  kind: PersonRef['kind'];
  person_id: string;
  version: number;
  key_id: string;
  wrapped: string;
}

/** What a wrapped key is bound to: its person, so a key copied to another person does not open. */
const ownerOf = (person: PersonRef) => `${person.kind}:${person.id}`;

/**
 * Each person's data keys in PostgreSQL, sealed with the master key (`PERSONAL_DATA_KEYS`).
 * New data is sealed with a person's newest version; every version still kept opens what it
 * sealed; erasing destroys them all (docs/adr/0008).
 */
export class PersonKeys {
  private readonly keys: string;
  private readonly erased: string;

  constructor(
    readonly schema: string,
    private readonly master: CredentialCipher,
  ) {
    this.keys = `${assertSchemaName(schema)}.person_keys`;
    this.erased = `${schema}.erased_people`;
  }

  /** The master-key column, for sealing every key again with the newest master key at start. */
  get sealedColumn(): SealedColumn {
    return {
      table: this.keys,
      id: 'key_ref',
      sealed: 'wrapped',
      boundTo: (keyRef) => keyRef.slice(0, keyRef.lastIndexOf(':')),
    };
  }

  /** The person's newest key, made on first use: one round trip either way. */
  async current(db: Db, person: PersonRef): Promise<PersonKey> {
    for (;;) {
      const fresh = this.master.seal(randomBytes(32).toString('base64'), ownerOf(person));
      const { rows } = await db.query<KeyRow>(
        `WITH newest AS (
           SELECT kind, person_id, version, key_id, wrapped FROM ${this.keys}
            WHERE kind = $1 AND person_id = $2 ORDER BY version DESC LIMIT 1
         ), made AS (
           INSERT INTO ${this.keys} (kind, person_id, version, key_id, wrapped)
           SELECT $1, $2, coalesce((SELECT last_version FROM ${this.erased}
                                     WHERE kind = $1 AND person_id = $2), 0) + 1, $3, $4
            WHERE NOT EXISTS (SELECT 1 FROM newest)
           ON CONFLICT DO NOTHING
           RETURNING kind, person_id, version, key_id, wrapped
         )
         SELECT * FROM newest UNION ALL SELECT * FROM made`,
        [person.kind, person.id, fresh.keyId, fresh.ciphertext],
      );
      // Empty only when another request made the first key at the same moment: read it.
      if (rows[0]) return this.unwrap(rows[0]);
    }
  }

  /** Every key still kept of these people, by person (`kind:id`) and version. */
  async versions(db: Db, people: readonly PersonRef[]): Promise<Map<string, Map<number, Buffer>>> {
    const found = new Map<string, Map<number, Buffer>>();
    if (people.length === 0) return found;
    const { rows } = await db.query<KeyRow>(
      `SELECT kind, person_id, version, key_id, wrapped FROM ${this.keys}
        WHERE (kind, person_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [people.map((p) => p.kind), people.map((p) => p.id)],
    );
    for (const row of rows) {
      const owner = ownerOf({ kind: row.kind, id: row.person_id });
      if (!found.has(owner)) found.set(owner, new Map());
      found.get(owner)!.set(row.version, this.unwrap(row).key);
    }
    return found;
  }

  /** Which key versions of these people are still kept, without opening them (no master key needed). */
  static async kept(db: Db, schema: string, people: readonly PersonRef[]): Promise<Set<string>> {
    if (people.length === 0) return new Set();
    const { rows } = await db.query<{ key_ref: string }>(
      `SELECT key_ref FROM ${assertSchemaName(schema)}.person_keys
        WHERE (kind, person_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [people.map((p) => p.kind), people.map((p) => p.id)],
    );
    return new Set(rows.map((r) => r.key_ref));
  }

  /** A new version that seals from now on; older versions keep opening what they sealed. */
  async rotate(db: Db, person: PersonRef): Promise<number> {
    const fresh = this.master.seal(randomBytes(32).toString('base64'), ownerOf(person));
    const { rows } = await db.query<{ version: number }>(
      `INSERT INTO ${this.keys} (kind, person_id, version, key_id, wrapped)
       SELECT $1, $2, greatest(
                coalesce((SELECT max(version) FROM ${this.keys} WHERE kind = $1 AND person_id = $2), 0),
                coalesce((SELECT last_version FROM ${this.erased} WHERE kind = $1 AND person_id = $2), 0)
              ) + 1, $3, $4
       RETURNING version`,
      [person.kind, person.id, fresh.keyId, fresh.ciphertext],
    );
    return rows[0]!.version;
  }

  /** Destroys every key of the person, in the caller's transaction; answers how many there were. */
  async erase(tx: PoolClient, person: PersonRef, at: Date): Promise<number> {
    const { rows } = await tx.query<{ version: number }>(
      `DELETE FROM ${this.keys} WHERE kind = $1 AND person_id = $2 RETURNING version`,
      [person.kind, person.id],
    );
    const last = Math.max(0, ...rows.map((r) => r.version));
    await tx.query(
      `INSERT INTO ${this.erased} (kind, person_id, last_version, erased_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (kind, person_id) DO UPDATE
         SET last_version = greatest(${this.erased}.last_version, excluded.last_version),
             erased_at = excluded.erased_at`,
      [person.kind, person.id, last, at],
    );
    return rows.length;
  }

  /** What the store holds about a person, keys left out: for the person's export. */
  async describe(
    db: Db,
    person: PersonRef,
  ): Promise<{
    keyVersions: Array<{ version: number; createdAt: string }>;
    erasedAt: string | null;
  }> {
    const [keys, erased] = await Promise.all([
      db.query<{ version: number; created_at: Date }>(
        `SELECT version, created_at FROM ${this.keys} WHERE kind = $1 AND person_id = $2 ORDER BY version`,
        [person.kind, person.id],
      ),
      db.query<{ erased_at: Date }>(
        `SELECT erased_at FROM ${this.erased} WHERE kind = $1 AND person_id = $2`,
        [person.kind, person.id],
      ),
    ]);
    return {
      keyVersions: keys.rows.map((r) => ({
        version: r.version,
        createdAt: r.created_at.toISOString(),
      })),
      erasedAt: erased.rows[0]?.erased_at.toISOString() ?? null,
    };
  }

  private unwrap(row: KeyRow): PersonKey {
    const owner = ownerOf({ kind: row.kind, id: row.person_id });
    const key = this.master.open({ keyId: row.key_id, ciphertext: row.wrapped }, owner);
    return { version: row.version, key: Buffer.from(key, 'base64') };
  }
}
