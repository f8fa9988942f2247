import { afterAll, describe, expect, it } from '@jest/globals';
import { createPool, isConnectionError, isTransientConflict, withTransaction } from '@cs/eventing';
import { DATABASE_URL } from '@cs/testing';

const pool = createPool({ databaseUrl: DATABASE_URL, schema: 'public', max: 4 });
afterAll(() => pool.end());

describe('two transactions that lock the same two keys in opposite orders', () => {
  it('end one of them with a deadlock that counts as a transient conflict, not a connection error', async () => {
    const keys = [Math.floor(Math.random() * 1e9), Math.floor(Math.random() * 1e9) + 1];
    let bothHoldOne!: () => void;
    const held = new Promise<void>((resolve) => (bothHoldOne = resolve));
    let holding = 0;
    const lockBoth = (first: number, second: number) =>
      withTransaction(pool, async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1)', [first]);
        if (++holding === 2) bothHoldOne();
        await held;
        await tx.query('SELECT pg_advisory_xact_lock($1)', [second]);
      }).then(
        () => null,
        (error: unknown) => error,
      );
    const outcomes = await Promise.all([
      lockBoth(keys[0]!, keys[1]!),
      lockBoth(keys[1]!, keys[0]!),
    ]);
    const failures = outcomes.filter((outcome) => outcome !== null);
    expect(failures).toHaveLength(1);
    expect(isTransientConflict(failures[0])).toBe(true);
    expect(isConnectionError(failures[0])).toBe(false);
  });
});
