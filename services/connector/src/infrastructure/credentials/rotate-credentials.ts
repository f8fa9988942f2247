import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Pool } from 'pg';
import { type CredentialCipher, resealStale, type SealedColumn } from '@cs/eventing';

/**
 * At start, every secret sealed with an older key (connection credentials, push channel
 * secrets) is sealed again with the newest one, so the older key can then be dropped.
 */
export class RotateCredentialsOnStart implements OnApplicationBootstrap {
  private readonly logger = new Logger('Credentials');

  constructor(
    private readonly pool: Pool,
    private readonly cipher: CredentialCipher,
    private readonly columns: SealedColumn[],
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const column of this.columns) {
      const { resealed, unreadable } = await resealStale(this.pool, this.cipher, column);
      if (resealed > 0)
        this.logger.log({
          msg: 'secrets sealed with the newest key',
          table: column.table,
          resealed,
        });
      if (unreadable > 0)
        this.logger.warn({
          msg: 'secrets sealed with a key no longer configured; they are replaced when next renewed',
          table: column.table,
          unreadable,
        });
    }
  }
}
