import { type Pool } from 'pg';

export interface BucketRule {
  /** Tokens added per second; 0 turns the limit off. */
  perSecond: number;
  burst: number;
}

export interface Lease {
  granted: number;
  /** Seconds until one token is back, when none was granted. */
  retryAfterSeconds: number;
}

const CREATE = `CREATE TABLE IF NOT EXISTS caller_limits (
  key text PRIMARY KEY,
  tokens double precision NOT NULL,
  updated_at timestamptz NOT NULL
)`;

// One statement refills the bucket by the database's clock and takes up to $4 whole tokens;
// the row lock makes concurrent instances queue on it rather than double-spend.
const TAKE = `UPDATE caller_limits AS b
  SET tokens = r.available - LEAST($4::int, floor(r.available)), updated_at = r.at
  FROM (
    SELECT key, clock_timestamp() AS at,
      LEAST($2::float8, tokens + extract(epoch FROM clock_timestamp() - updated_at) * $3::float8)
        AS available
    FROM caller_limits WHERE key = $1 FOR UPDATE
  ) AS r
  WHERE b.key = r.key
  RETURNING LEAST($4::int, floor(r.available))::int AS granted, r.available`;

const INSERT = `INSERT INTO caller_limits (key, tokens, updated_at)
  VALUES ($1, $2, clock_timestamp()) ON CONFLICT (key) DO NOTHING`;

/** Token buckets in the service's own schema, so every instance of it draws from the same one. */
export class SharedBuckets {
  private ready: Promise<void> | undefined;

  constructor(private readonly pool: Pool) {}

  async take(key: string, rule: BucketRule, wanted: number): Promise<Lease> {
    await (this.ready ??= this.createTable());
    let rows = await this.takeQuery(key, rule, wanted);
    if (rows.length === 0) {
      await this.pool.query(INSERT, [key, rule.burst]);
      rows = await this.takeQuery(key, rule, wanted);
    }
    const { granted, available } = rows[0]!;
    return { granted, retryAfterSeconds: granted > 0 ? 0 : (1 - available) / rule.perSecond };
  }

  private async takeQuery(key: string, rule: BucketRule, wanted: number) {
    const result = await this.pool.query<{ granted: number; available: number }>(TAKE, [
      key,
      rule.burst,
      rule.perSecond,
      wanted,
    ]);
    return result.rows;
  }

  private async createTable(): Promise<void> {
    try {
      await this.pool.query(CREATE);
    } catch (error) {
      // Two instances starting together both try; the loser finds the table there.
      const code = (error as { code?: string }).code;
      if (code !== '23505' && code !== '42P07') {
        this.ready = undefined;
        throw error;
      }
    }
  }
}
