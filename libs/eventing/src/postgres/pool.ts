import { Client, Pool, type PoolClient, type PoolConfig } from 'pg';

export interface DatabaseOptions {
  databaseUrl: string;
  /** The service's own schema: every unqualified table name resolves inside it. */
  schema: string;
  max?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name "${schema}"`);
  return schema;
}

/**
 * A client whose lost server (a PostgreSQL restart) must not crash the process: pg fails its
 * query and then also emits 'error' on the client, which the pool hears only while it is idle.
 */
class QuietClient extends Client {
  constructor(config?: ConstructorParameters<typeof Client>[0]) {
    super(config);
    this.on('error', () => undefined);
  }
}

/** The one set of pool settings, for a service's DataSource and for scripts' own pools alike. */
export function poolConfig({ databaseUrl, schema, max = 10 }: DatabaseOptions): PoolConfig {
  return {
    connectionString: databaseUrl,
    max,
    options: `-c search_path=${assertSchemaName(schema)}`,
    connectionTimeoutMillis: 5_000,
    Client: QuietClient,
  };
}

export function createPool(options: DatabaseOptions): Pool {
  const pool = new Pool(poolConfig(options));
  // An idle client that loses its server must not crash the process either.
  pool.on('error', () => undefined);
  return pool;
}

export async function withTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
]);

const CONNECTION_ERROR_MESSAGE =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end|terminating connection|the database system is (starting up|shutting down|in recovery mode)|server closed the connection unexpectedly/i;

/**
 * True when the database, not the work, failed: such work is retried, never dead-lettered.
 * TypeORM wraps the driver's error (`driverError`), Node wraps a failed connect to several
 * addresses (`errors`), and callers may wrap either (`cause`): each is looked through.
 */
export function isConnectionError(error: unknown): boolean {
  return someError(error, ({ code, message }) =>
    typeof code === 'string' && (CONNECTION_ERROR_CODES.has(code) || code.startsWith('08'))
      ? true
      : typeof message === 'string' && CONNECTION_ERROR_MESSAGE.test(message),
  );
}

/** A deadlock or a serialization failure: PostgreSQL ended this transaction so others go on. */
const TRANSIENT_CONFLICT_CODES = new Set(['40P01', '40001']);

/** True when the same work, started again in a new transaction (or savepoint), may succeed. */
export function isTransientConflict(error: unknown): boolean {
  return someError(
    error,
    ({ code }) => typeof code === 'string' && TRANSIENT_CONFLICT_CODES.has(code),
  );
}

interface ErrorShape {
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
  errors?: unknown;
}

function someError(error: unknown, test: (shape: ErrorShape) => boolean, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const shape = error as ErrorShape;
  if (test(shape)) return true;
  const { driverError, cause, errors } = shape;
  const inner = [driverError, cause, ...(Array.isArray(errors) ? errors : [])];
  return inner.some(
    (candidate) => candidate !== undefined && someError(candidate, test, depth + 1),
  );
}
