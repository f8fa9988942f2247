import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { systemActor } from '@cs/contracts';
import {
  CLOCK,
  type Clock,
  ConcurrencyError,
  isTransientConflict,
  EventStore,
  PersonalData,
  PG_POOL,
  newId,
  runInContext,
  withTransaction,
  withUnitOfWork,
} from '@cs/eventing';
import { ProblemException, type ProblemDetails } from '@cs/platform';
import { Pool, type PoolClient } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { problemOf, replayProblem } from './booking-problems';
import { IdempotencyKeys } from './idempotency/idempotency-keys';
import { ScheduleCache } from './schedule-cache';
import { ScheduleTransaction } from './schedule-transaction';

/** A command's answer: kept with its idempotency key and given again to a retry. */
export interface Outcome {
  status: number;
  body: unknown;
}

export interface IdempotencyInput {
  /** Keys belong to the caller that sent them. */
  scope: string;
  key: string | undefined;
  /** Method, path and body: the same key with another request is refused. */
  request: unknown;
}

const MAX_ATTEMPTS = 5;

/**
 * Another command appended first, or PostgreSQL chose this transaction as a deadlock's victim
 * (two consumers' batches can lock several Pros in different orders): the command is decided
 * again on what is there now.
 */
const retryable = (error: unknown) =>
  error instanceof ConcurrencyError || isTransientConflict(error);

function hashOf(request: unknown): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('base64url');
}

/**
 * Runs booking commands: one transaction (withUnitOfWork: the key through TypeORM, the events
 * through the event store) that claims the idempotency key, lets the command work on the Pro
 * schedules it needs and stores the answer with the key. A refusal (409, 422)
 * is an answer too; a lost race on a schedule's version runs the command again.
 */
@Injectable()
export class BookingCommands {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly dataSource: DataSource,
    private readonly idempotencyKeys: IdempotencyKeys,
    private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly cache: ScheduleCache,
    private readonly personal: PersonalData,
  ) {}

  async run(
    idempotency: IdempotencyInput,
    work: (schedules: ScheduleTransaction) => Promise<Outcome>,
  ): Promise<Outcome> {
    const outcome =
      idempotency.key === undefined
        ? await this.attemptAlone(work)
        : await this.attemptWithKey({ ...idempotency, key: idempotency.key }, work);
    if (outcome.status >= 400) throw replayProblem(outcome.status, outcome.body as ProblemDetails);
    return outcome;
  }

  /** Work the service does on its own (expiry): a correlation of its own, no idempotency key. */
  runAsSystem(
    name: string,
    work: (schedules: ScheduleTransaction) => Promise<unknown>,
  ): Promise<Outcome> {
    return runInContext(
      { correlationId: newId(), causationId: null, actor: systemActor(name) },
      () =>
        this.run({ scope: name, key: undefined, request: null }, async (s) => {
          await work(s);
          return { status: 200, body: null };
        }),
    );
  }

  /** Without a key there is no answer to keep: each try is a transaction of its own. */
  private async attemptAlone(
    work: (schedules: ScheduleTransaction) => Promise<Outcome>,
  ): Promise<Outcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        let schedules: ScheduleTransaction | undefined;
        const outcome = await withTransaction(this.pool, (tx) =>
          work((schedules = this.schedules(tx))),
        );
        schedules?.committed();
        return outcome;
      } catch (error) {
        if (retryable(error) && attempt < MAX_ATTEMPTS) continue;
        return this.refusal(error);
      }
    }
  }

  private async attemptWithKey(
    idempotency: IdempotencyInput & { key: string },
    work: (schedules: ScheduleTransaction) => Promise<Outcome>,
  ): Promise<Outcome> {
    let succeeded: ScheduleTransaction | undefined;
    const outcome = await withUnitOfWork(this.dataSource, async ({ manager, client: tx }) => {
      const earlier = await this.claim(manager, idempotency, hashOf(idempotency.request));
      if (earlier) return earlier;
      const { answer, schedules } = await this.attempt(tx, work);
      succeeded = schedules;
      await this.idempotencyKeys.answer(manager, idempotency, answer);
      return answer;
    });
    succeeded?.committed();
    return outcome;
  }

  private async attempt(
    tx: PoolClient,
    work: (schedules: ScheduleTransaction) => Promise<Outcome>,
  ): Promise<{ answer: Outcome; schedules?: ScheduleTransaction }> {
    for (let attempt = 1; ; attempt++) {
      await tx.query('SAVEPOINT command');
      try {
        const schedules = this.schedules(tx);
        const answer = await work(schedules);
        await tx.query('RELEASE SAVEPOINT command');
        return { answer, schedules };
      } catch (error) {
        await tx.query('ROLLBACK TO SAVEPOINT command');
        if (retryable(error) && attempt < MAX_ATTEMPTS) continue;
        return { answer: this.refusal(error) };
      }
    }
  }

  private schedules(tx: PoolClient): ScheduleTransaction {
    return new ScheduleTransaction(
      tx,
      this.store,
      this.clock.now().getTime(),
      this.personal,
      this.cache,
    );
  }

  /** A refusal (409, 422…) is an answer; anything else is our failure and passes on. */
  private refusal(error: unknown): Outcome {
    const problem = problemOf(error);
    if (!problem) throw error;
    return { status: problem.getStatus(), body: problem.problem };
  }

  /** The stored answer of an earlier request with this key, or undefined when this one is first. */
  private async claim(
    manager: EntityManager,
    { scope, key }: { scope: string; key: string },
    hash: string,
  ): Promise<Outcome | undefined> {
    const earlier = await this.idempotencyKeys.claim(manager, { scope, key, requestHash: hash });
    if (!earlier) return undefined;
    if (earlier.requestHash !== hash) {
      throw new ProblemException({
        status: 422,
        type: 'idempotency-key-reused',
        detail: 'This Idempotency-Key was used with a different request.',
        errors: [{ field: 'Idempotency-Key', message: 'already used with a different request' }],
      });
    }
    return { status: earlier.status!, body: earlier.response };
  }
}
