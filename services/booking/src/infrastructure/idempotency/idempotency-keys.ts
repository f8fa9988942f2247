import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { IdempotencyKey } from './idempotency-key.entity';

/** Idempotency keys are kept 48 hours (docs/api.md); these go after two days. */
const KEEP_KEYS = '48 hours';

/** The idempotency keys of booking commands, kept in the command's own transaction. */
@Injectable()
export class IdempotencyKeys {
  constructor(
    @InjectRepository(IdempotencyKey) private readonly keys: Repository<IdempotencyKey>,
  ) {}

  /**
   * Claims the key for this request; the earlier request's row when it was claimed before. A
   * concurrent claim of the same key waits here until the first transaction ends.
   */
  async claim(
    manager: EntityManager,
    claim: Pick<IdempotencyKey, 'scope' | 'key' | 'requestHash'>,
  ): Promise<IdempotencyKey | null> {
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(IdempotencyKey)
      .values(claim)
      .orIgnore()
      .returning(['scope'])
      .updateEntity(false)
      .execute();
    if ((inserted.raw as unknown[]).length === 1) return null;
    return manager.findOneByOrFail(IdempotencyKey, { scope: claim.scope, key: claim.key });
  }

  /** Keeps the answer with the key, for retries to get again. */
  async answer(
    manager: EntityManager,
    { scope, key }: Pick<IdempotencyKey, 'scope' | 'key'>,
    answer: { status: number; body: unknown },
  ): Promise<void> {
    await manager.update(
      IdempotencyKey,
      { scope, key },
      { status: answer.status, response: answer.body as object | null },
    );
  }

  /** Forgets keys past KEEP_KEYS, by the database's clock, which stamped them. */
  async forgetOld(): Promise<void> {
    await this.keys
      .createQueryBuilder()
      .delete()
      .where(`created_at < now() - interval '${KEEP_KEYS}'`)
      .execute();
  }
}
