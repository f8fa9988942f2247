/**
 * Wall-clock ↔ instant conversions, ours (`@cs/ical`, `@cs/scheduling`) against date-fns-tz,
 * on the paths availability takes many times per request (docs/adr/0006-time-zone-conversions.md).
 * Run: npm run bench:time-zones. Prints ns per conversion and how often the answers differ.
 */
import { fromZonedTime, formatInTimeZone, toZonedTime } from 'date-fns-tz';
import { ianaZone, instantToLocal, localToInstant } from '@cs/ical';
import { toLocalIso } from '@cs/scheduling';

// date-fns-tz reads and writes `Date`s in the process's own zone; UTC makes its local fields
// the wall clock, its best case.
process.env.TZ = 'UTC';

const CONVERSIONS = 100_000;
const ROUNDS = 5;
const ZONES = ['Europe/Amsterdam', 'America/New_York', 'Australia/Sydney'];
const START = Date.UTC(2026, 0, 1);
const SPAN = 2 * 365 * 86_400_000;

/** A deterministic pseudo-random sequence, so every run measures the same input. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

const next = random(7);
const inputs = Array.from({ length: CONVERSIONS }, (_, i) => ({
  zoneId: ZONES[i % ZONES.length],
  // Whole minutes, as settings and slots are.
  ms: START + Math.floor(next() * (SPAN / 60_000)) * 60_000,
}));

/** Best of a few rounds, in ns per conversion; `sink` keeps the work from being optimised away. */
function measure(body: () => number): number {
  let best = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    if (body() === -1) console.log('');
    best = Math.min(best, Number(process.hrtime.bigint() - started) / CONVERSIONS);
  }
  return best;
}

function compare(
  name: string,
  ours: (input: (typeof inputs)[number]) => number | string,
  theirs: (input: (typeof inputs)[number]) => number | string,
): void {
  const run = (convert: typeof ours) => () => {
    let sink = 0;
    for (const input of inputs) sink += String(convert(input)).length;
    return sink;
  };
  const oursNs = measure(run(ours));
  const theirsNs = measure(run(theirs));
  const differ = inputs.filter((input) => ours(input) !== theirs(input)).length;
  console.log(
    `${name.padEnd(34)} ours ${oursNs.toFixed(0).padStart(6)} ns   date-fns-tz ${theirsNs.toFixed(0).padStart(6)} ns   ` +
      `×${(theirsNs / oursNs).toFixed(1)}   answers differ: ${differ}/${CONVERSIONS}`,
  );
}

const zone = (id: string) => {
  const found = ianaZone(id);
  if (!found) throw new Error(`unknown zone ${id}`);
  return found;
};

console.log(`${CONVERSIONS} conversions over ${ZONES.join(', ')}, 2026–2027, best of ${ROUNDS}`);
compare(
  'wall clock → instant',
  ({ zoneId, ms }) => localToInstant(zone(zoneId), ms),
  ({ zoneId, ms }) => fromZonedTime(new Date(ms), zoneId).getTime(),
);
compare(
  'instant → wall clock',
  ({ zoneId, ms }) => instantToLocal(zone(zoneId), ms),
  ({ zoneId, ms }) => toZonedTime(ms, zoneId).getTime(),
);
compare(
  'instant → ISO with offset',
  ({ zoneId, ms }) => toLocalIso(ms, zoneId),
  ({ zoneId, ms }) => formatInTimeZone(ms, zoneId, "yyyy-MM-dd'T'HH:mm:ssXXX"),
);
