/**
 * Recurrence engines compared. Run: npm run bench:recurrence
 * (a) every public vector through each engine, a hang costing one vector, not the run;
 * (b) p50/p99 of one expansion of a month of 2027 for series starting in 2015.
 */
import { wallMs } from '../../libs/ical/test/vectors/vector-file';
import { type Outcome, runEngine, skippedBySource, vectorSources } from './correctness';
import { engines } from './engines';

async function correctnessTable(): Promise<void> {
  const sources = vectorSources();
  const names = [...new Set(sources)];
  const skipped = skippedBySource();
  console.log('correctness: passed / failed / threw / hung per source');
  console.log(
    `${'engine'.padEnd(16)}${names.map((n) => `${n} (${sources.filter((s) => s === n).length}, ${skipped.get(n)} skipped)`.padEnd(36)).join('')}`,
  );
  for (const engine of engines) {
    const outcomes = await runEngine(engine.name, sources.length);
    const cells = names.map((name) => {
      const count = (kind: Outcome) =>
        outcomes.filter((o, i) => sources[i] === name && o === kind).length;
      return `${count('passed')} / ${count('failed')} / ${count('threw')} / ${count('hung')}`.padEnd(
        36,
      );
    });
    console.log(`${engine.name.padEnd(16)}${cells.join('')}`);
  }
}

const SPEED_RULES = [
  'FREQ=WEEKLY;BYDAY=MO,WE,FR',
  'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU',
  'FREQ=MONTHLY;BYDAY=2TU',
  'FREQ=MONTHLY;BYMONTHDAY=-1',
  'FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'FREQ=DAILY;INTERVAL=3',
  'FREQ=WEEKLY;BYDAY=MO,TH;COUNT=1000',
  'FREQ=MONTHLY;BYMONTHDAY=15;COUNT=200',
];
const RUNS = 300;
const query = (rrule: string) => ({
  rrule,
  dtstart: '20150105T090000',
  allDay: false,
  fromLocal: wallMs('20270301T000000'),
  toLocal: wallMs('20270331T235959'),
});

function percentiles(times: number[]): { p50: string; p99: string } {
  times.sort((a, b) => a - b);
  const pick = (q: number) =>
    (times[Math.min(times.length - 1, Math.floor(q * times.length))] * 1_000).toFixed(1);
  return { p50: pick(0.5), p99: pick(0.99) };
}

/** What the machine spends on nothing, and on one Date.UTC: the floor any figure stands on. */
function floors(): void {
  const loops = 10_000_000;
  let sink = 0;
  let started = performance.now();
  for (let i = 0; i < loops; i++) sink += i;
  const loopNs = ((performance.now() - started) * 1e6) / loops;
  started = performance.now();
  for (let i = 0; i < loops; i++) sink += Date.UTC(2027, 2, i % 28, 9);
  const utcNs = ((performance.now() - started) * 1e6) / loops;
  console.log(
    `floor: empty loop iteration ${loopNs.toFixed(2)} ns, Date.UTC ${utcNs.toFixed(2)} ns (sink ${sink > 0})`,
  );
}

function speedTable(): void {
  console.log('\nspeed: one expansion, DTSTART 2015-01-05 09:00, window March 2027, µs');
  floors();
  console.log(`${'rule'.padEnd(38)}${engines.map((e) => `${e.name} p50/p99`.padEnd(24)).join('')}`);
  const all = new Map(engines.map((e) => [e.name, [] as number[]]));
  for (const rule of SPEED_RULES) {
    const cells = engines.map((engine) => {
      const q = query(rule);
      try {
        for (let i = 0; i < 20; i++) engine.starts(q);
        const times: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          const started = performance.now();
          engine.starts(q);
          times.push(performance.now() - started);
        }
        all.get(engine.name)?.push(...times);
        const { p50, p99 } = percentiles(times);
        return `${p50} / ${p99}`.padEnd(24);
      } catch {
        return 'threw'.padEnd(24);
      }
    });
    console.log(`${rule.padEnd(38)}${cells.join('')}`);
  }
  const overall = engines.map((e) => {
    const { p50, p99 } = percentiles(all.get(e.name) ?? []);
    return `${p50} / ${p99}`.padEnd(24);
  });
  console.log(`${'all rules'.padEnd(38)}${overall.join('')}`);
}

void correctnessTable().then(speedTable);
