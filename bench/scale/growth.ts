/** What `bench:scale` measured at one size. */
export interface SizeFigures {
  pros: number;
  events: number;
  rebuildPerSecond: number;
  rebuildSeconds: number;
  deliveryFloorPerSecond: number;
  availabilityPerSecond: number;
  availabilityP99: number;
  availabilityCpuMs: number;
  httpFloorPerSecond: number;
  httpFloorP99: number;
  searchP50: number;
  searchPros: number;
  bookingPerSecond: number;
  bookingP99: number;
  raceCreated: number;
  raceRefused: number;
  availabilityRssMiB: number;
  bookingRssMiB: number;
  /** Absent from sizes measured before these figures were. */
  conflictsPerSecond?: number;
  consumerFloorPerSecond?: number;
  syncRoundCalendars?: number;
  syncRoundCpuSeconds?: number;
  syncRoundEmulatorCpuSeconds?: number;
  syncRoundSeconds?: number;
}

/** Figures that are costs: each grows with size at most linearly, or is flagged. */
const COSTS: Array<[string, (f: SizeFigures) => number]> = [
  ['rebuild s', (f) => f.rebuildSeconds],
  ['avail. p99 ms', (f) => f.availabilityP99],
  ['avail. CPU ms', (f) => f.availabilityCpuMs],
  ['search p50 ms', (f) => f.searchP50],
  ['booking p99 ms', (f) => f.bookingP99],
  ['avail. RSS MiB', (f) => f.availabilityRssMiB],
  ['booking RSS MiB', (f) => f.bookingRssMiB],
];
const RATES: Array<[string, (f: SizeFigures) => number]> = [
  ['rebuild ev/s', (f) => f.rebuildPerSecond],
  ['avail. req/s', (f) => f.availabilityPerSecond],
  ['bookings/s', (f) => f.bookingPerSecond],
  ['conflicts ev/s', (f) => f.conflictsPerSecond ?? NaN],
];

/**
 * The growth table, one row per size, and a note for each cost that grew faster than the number
 * of Pros between two sizes (growth exponent above 1.1: 1 is linear, 0 flat).
 */
export function growthTable(sizes: SizeFigures[]): string {
  const columns = [...RATES, ...COSTS];
  const head = ['Pros', ...columns.map(([name]) => name)];
  const rows = sizes.map((f) => [
    f.pros.toLocaleString('en'),
    ...columns.map(([, get]) => get(f).toLocaleString('en', { maximumFractionDigits: 1 })),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  const notes: string[] = [];
  for (let i = 1; i < sizes.length; i++) {
    const [a, b] = [sizes[i - 1]!, sizes[i]!];
    for (const [name, get] of COSTS) {
      const exponent = Math.log(get(b) / get(a)) / Math.log(b.pros / a.pros);
      if (exponent > 1.1)
        notes.push(
          `${name} grew faster than linearly from ${a.pros} to ${b.pros} Pros (exponent ${exponent.toFixed(2)})`,
        );
    }
  }
  return [
    line(head),
    ...rows.map(line),
    ...(notes.length ? notes : ['no cost grew faster than linearly']),
  ].join('\n');
}
