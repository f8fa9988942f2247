import { Logger, type Provider } from '@nestjs/common';
import type { Pool } from 'pg';
import { CredentialCipher, parseCredentialKeys } from '../crypto/credential-cipher';
import { resealStale } from '../crypto/sealed-column';
import { PG_POOL } from '../nest/tokens';
import { runMigrations } from '../postgres/migrations';
import { personalDataMigrations } from './migrations';
import type { PersonalDataConfig } from './personal-data-config';
import { PersonalData } from './personal-data';
import { PersonKeys } from './person-keys';

/**
 * `PersonalData` for a service: the key store migrated, and every person's key sealed again
 * with the newest master key, so an older master key can then be dropped.
 */
export const personalDataProvider = (config: PersonalDataConfig): Provider => ({
  provide: PersonalData,
  inject: [PG_POOL],
  useFactory: async (pool: Pool) => {
    const schema = config.PERSONAL_DATA_SCHEMA;
    await runMigrations(pool, schema, personalDataMigrations);
    const master = new CredentialCipher(parseCredentialKeys(config.PERSONAL_DATA_KEYS));
    const keys = new PersonKeys(schema, master);
    const { resealed } = await resealStale(pool, master, keys.sealedColumn);
    if (resealed > 0)
      new Logger('PersonalData').log({
        msg: 'person keys sealed with the newest master key',
        resealed,
      });
    return new PersonalData(keys);
  },
});
