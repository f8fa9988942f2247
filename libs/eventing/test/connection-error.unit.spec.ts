import { describe, expect, it } from '@jest/globals';
import { QueryFailedError } from 'typeorm';
import { isConnectionError, isTransientConflict } from '../src/postgres/pool';

function pgError(message: string, code?: string): Error {
  return Object.assign(new Error(message), code ? { code } : {});
}

describe('isConnectionError', () => {
  it.each([
    [
      'a server shutting down (57P01)',
      pgError('terminating connection due to administrator command', '57P01'),
    ],
    ['a server starting up (57P03)', pgError('the database system is starting up', '57P03')],
    ['a refused connection', pgError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ["pg-pool's connect timeout", pgError('timeout exceeded when trying to connect')],
    ['a dropped connection', pgError('Connection terminated unexpectedly')],
    [
      'TypeORM wrapping the driver error',
      new QueryFailedError(
        'SELECT 1',
        [],
        pgError('terminating connection due to administrator command', '57P01'),
      ),
    ],
    [
      'a connect to several addresses, all refused',
      new AggregateError(
        [pgError('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')],
        'connect failed',
      ),
    ],
    [
      'a caller wrapping it',
      new Error('booking failed', { cause: pgError('timeout exceeded when trying to connect') }),
    ],
  ])('holds for %s', (_, error) => {
    expect(isConnectionError(error)).toBe(true);
  });

  it.each([
    ['a unique violation', pgError('duplicate key value violates unique constraint', '23505')],
    [
      'TypeORM wrapping a constraint error',
      new QueryFailedError('INSERT', [], pgError('duplicate key value', '23505')),
    ],
    [
      'a statement timeout, which is the work',
      pgError('canceling statement due to statement timeout', '57014'),
    ],
    ['a programming error', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['no error at all', undefined],
    ['a string', 'Connection terminated'],
  ])('does not hold for %s', (_, error) => {
    expect(isConnectionError(error)).toBe(false);
  });

  it('stops at a cause that refers to itself', () => {
    const error = new Error('loop') as Error & { cause?: unknown };
    error.cause = error;
    expect(isConnectionError(error)).toBe(false);
  });
});

describe('isTransientConflict', () => {
  it.each([
    ['a deadlock (40P01)', pgError('deadlock detected', '40P01')],
    ['a serialization failure (40001)', pgError('could not serialize access', '40001')],
    [
      'TypeORM wrapping a deadlock',
      new QueryFailedError('SELECT', [], pgError('deadlock detected', '40P01')),
    ],
  ])('holds for %s', (_, error) => {
    expect(isTransientConflict(error)).toBe(true);
  });

  it.each([
    ['a connection error', pgError('Connection terminated unexpectedly')],
    ['a unique violation', pgError('duplicate key value', '23505')],
    ['no error at all', undefined],
  ])('does not hold for %s', (_, error) => {
    expect(isTransientConflict(error)).toBe(false);
  });
});
