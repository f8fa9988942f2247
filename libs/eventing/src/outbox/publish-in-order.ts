/**
 * Starts `publish` for every row in the order given, each one after the previous row of the same
 * stream has succeeded; rows of different streams go out side by side. A row whose predecessor
 * failed is not published at all (its promise rejects with the predecessor's error), so a failed
 * event can never reach the bus after its successor.
 */
export function publishInOrder<Row extends { stream_id: string | null }>(
  rows: readonly Row[],
  publish: (row: Row) => Promise<void>,
): Promise<void>[] {
  const previous = new Map<string, Promise<void>>();
  return rows.map((row) => {
    const key = row.stream_id ?? '';
    const after = previous.get(key) ?? Promise.resolve();
    const done = after.then(() => publish(row));
    previous.set(key, done);
    return done;
  });
}
