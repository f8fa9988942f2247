export const DAY_MS = 86_400_000;

/** Neighbours up to a day away matter through buffers and travel, as the engine assumes. */
export const around = (start: number, end: number) => ({ from: start - DAY_MS, to: end + DAY_MS });

/** A change to rules or freshness may move any slot a client can still book. */
export const fromNowOn = (recordedAt: string) => {
  const at = Date.parse(recordedAt);
  return { from: at, to: at + 730 * DAY_MS };
};
