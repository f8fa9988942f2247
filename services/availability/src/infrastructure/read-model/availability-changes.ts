import type { PoolClient } from 'pg';

/** The channel on which committed changes ring, one per schema (tests share a database). */
export const changesChannel = (schema: string) => `cs_availability_${schema}`;

export interface ChangedSpan {
  from: number;
  to: number;
}

/**
 * Collects what a batch of events changed, per Pro (or per territory: every Pro in it), merged
 * into one span each.
 */
export class ChangeSet {
  private readonly spans = new Map<string, ChangedSpan>();

  add(proId: string, from: number, to: number): void {
    this.merge(`p${proId}`, from, to);
  }

  addTerritory(territoryId: string, from: number, to: number): void {
    this.merge(`t${territoryId}`, from, to);
  }

  private merge(key: string, from: number, to: number): void {
    const current = this.spans.get(key);
    this.spans.set(
      key,
      current ? { from: Math.min(current.from, from), to: Math.max(current.to, to) } : { from, to },
    );
  }

  /**
   * Records the batch's changes and rings the channel on commit. A rebuild writes shadow tables
   * that nobody reads yet, so it records nothing. The advisory lock makes sequence order commit
   * order, so a reader that follows `seq` never skips a change that committed late.
   */
  async record(tx: PoolClient, live: boolean): Promise<void> {
    if (!live || this.spans.size === 0) return;
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('availability_changes'))");
    const entries = [...this.spans];
    await tx.query(
      `INSERT INTO availability_changes (pro_id, territory_id, from_at, to_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[])`,
      [
        entries.map(([key]) => (key[0] === 'p' ? key.slice(1) : null)),
        entries.map(([key]) => (key[0] === 't' ? key.slice(1) : null)),
        entries.map(([, s]) => new Date(s.from)),
        entries.map(([, s]) => new Date(s.to)),
      ],
    );
    await tx.query(`SELECT pg_notify('cs_availability_' || current_schema(), '')`);
  }
}
