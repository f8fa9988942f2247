import type { Pool } from 'pg';
import { CredentialCipher, parseCredentialKeys } from '../crypto/credential-cipher';
import { assertSchemaName } from '../postgres/pool';
import { maskPersonalData, PersonalData } from './personal-data';
import { PersonKeys } from './person-keys';

export interface AuditReading {
  /** The key store's schema (`PERSONAL_DATA_SCHEMA`). */
  schema: string;
  /** `PERSONAL_DATA_KEYS`: given, sealed values are opened; otherwise they read `[sealed]`. */
  masterKeys?: string;
}

/**
 * Personal data as a tool outside the services shows it (the replay CLI): opened for an auditor
 * holding the master keys, masked for anyone else, `[erased]` for an erased person either way.
 */
export async function openForAudit<T>(
  pool: Pool,
  value: T,
  reading: AuditReading,
): Promise<unknown> {
  const { rows } = await pool.query<{ store: string | null }>(
    'SELECT to_regclass($1)::text AS store',
    [`${assertSchemaName(reading.schema)}.person_keys`],
  );
  // No key store: nothing was ever sealed here, or every key is gone with it.
  if (!rows[0]?.store || !reading.masterKeys)
    return maskPersonalData(pool, rows[0]?.store ? reading.schema : null, value);
  const master = new CredentialCipher(parseCredentialKeys(reading.masterKeys));
  return new PersonalData(new PersonKeys(reading.schema, master)).reveal(pool, value);
}
