import type { Pool } from 'pg';

type Row = Record<string, unknown>;

/** A row on which two copies of a table disagree. */
export interface RowDifference {
  /** The primary key (or, without one, the whole row). */
  key: Row;
  /** The live copy's differing columns; null when the rebuilt copy has a row the live one lacks. */
  live: Row | null;
  /** The rebuilt copy's differing columns; null when the live copy has a row it lacks. */
  rebuilt: Row | null;
}

export interface TableDifferences {
  /** Rows in one copy and not in the other (a changed row counts on both sides). */
  count: number;
  /** The first differing rows, by key. */
  rows: RowDifference[];
}

/** Compares two tables of one shape row by row, pairing rows by `keyOf`'s primary key. */
export async function compareTables(
  pool: Pool,
  live: string,
  rebuilt: string,
  keyOf: string,
  limit: number,
): Promise<TableDifferences> {
  const { rows: keyRows } = await pool.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_index i
     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
     WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY a.attnum`,
    [keyOf],
  );
  const keys = keyRows.map((r) => r.name);
  const order = keys.length > 0 ? `ORDER BY ${keys.map((k) => `"${k}"`).join(', ')}` : '';
  const only = async (from: string, other: string) =>
    (
      await pool.query<Row>(
        `SELECT * FROM (TABLE ${from} EXCEPT ALL TABLE ${other}) d ${order} LIMIT ${limit}`,
      )
    ).rows;
  const { rows: counted } = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM ((TABLE ${live} EXCEPT ALL TABLE ${rebuilt}) UNION ALL (TABLE ${rebuilt} EXCEPT ALL TABLE ${live})) d`,
  );
  const count = Number(counted[0]!.n);
  if (count === 0) return { count, rows: [] };
  const keyOfRow = (row: Row): Row =>
    keys.length > 0 ? Object.fromEntries(keys.map((k) => [k, row[k]])) : row;
  const id = (row: Row) => JSON.stringify(keyOfRow(row));
  const rebuiltRows = new Map((await only(rebuilt, live)).map((r) => [id(r), r]));
  const rows: RowDifference[] = [];
  for (const row of await only(live, rebuilt)) {
    const twin = rebuiltRows.get(id(row));
    rebuiltRows.delete(id(row));
    if (!twin) {
      rows.push({ key: keyOfRow(row), live: row, rebuilt: null });
      continue;
    }
    const changed = Object.keys(row).filter(
      (c) => JSON.stringify(row[c]) !== JSON.stringify(twin[c]),
    );
    rows.push({
      key: keyOfRow(row),
      live: Object.fromEntries(changed.map((c) => [c, row[c]])),
      rebuilt: Object.fromEntries(changed.map((c) => [c, twin[c]])),
    });
  }
  for (const row of rebuiltRows.values())
    rows.push({ key: keyOfRow(row), live: null, rebuilt: row });
  return { count, rows: rows.slice(0, limit) };
}
