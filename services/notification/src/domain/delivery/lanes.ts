/**
 * Splits claimed notifications into lanes that may be sent side by side: one lane per recipient,
 * oldest first within it, so one person never gets a later message before an earlier one.
 */
export function lanesByRecipient<T extends { recipientKey: string; madeAt: number }>(
  claimed: readonly T[],
): T[][] {
  const lanes = new Map<string, T[]>();
  for (const item of [...claimed].sort((a, b) => a.madeAt - b.madeAt)) {
    const lane = lanes.get(item.recipientKey);
    if (lane) lane.push(item);
    else lanes.set(item.recipientKey, [item]);
  }
  return [...lanes.values()];
}
