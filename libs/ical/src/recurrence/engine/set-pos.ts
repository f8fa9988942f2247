/**
 * BYSETPOS (RFC 5545 §3.3.10): the n-th (from the end when negative) of one period's sorted
 * candidates, after the time set is applied; positions beyond the set select nothing.
 */
export function selectPositions(candidates: readonly number[], positions: readonly number[]) {
  const picked = new Set<number>();
  for (const position of positions) {
    const at = position > 0 ? position - 1 : candidates.length + position;
    const value = candidates[at];
    if (value !== undefined) picked.add(value);
  }
  return [...picked].sort((a, b) => a - b);
}
