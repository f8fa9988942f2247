import { MS_PER_DAY } from '../../time/civil';
import { type RecurrenceRule } from '../rule';
import { type BudgetMeter } from './budget';
import { type Collector } from './collector';
import { type DayFilter } from './day-filter';
import { selectPositions } from './set-pos';
import { type TimeFields } from './time-set';

const UNIT_MS = { HOURLY: 3_600_000, MINUTELY: 60_000, SECONDLY: 1_000 } as const;
/** Which of hour, minute and second a period of each frequency fixes. */
const FIXED = { HOURLY: 1, MINUTELY: 2, SECONDLY: 3 } as const;

export type SubDailyFrequency = keyof typeof UNIT_MS;

export interface SubDailyPlan {
  readonly rule: RecurrenceRule & { readonly freq: SubDailyFrequency };
  readonly startLocal: number;
  readonly fromDay: number;
  readonly matches: DayFilter;
  readonly fields: TimeFields;
}

/**
 * HOURLY, MINUTELY and SECONDLY periods are counted from DTSTART's; days that the day
 * parts exclude are passed over whole, and inside a day only the aligned periods are seen.
 */
export function subDailyStarts(plan: SubDailyPlan, meter: BudgetMeter, out: Collector): void {
  const { rule, startLocal, matches, fields } = plan;
  const unit = UNIT_MS[rule.freq];
  const fixed = FIXED[rule.freq];
  const limits = fields.values.map((v, i) => (fields.given[i] ? new Set(v) : null));
  const startUnit = Math.floor(startLocal / unit);
  const n = rule.interval;
  const periodsPerDay = MS_PER_DAY / unit;
  for (let day = plan.fromDay; day * MS_PER_DAY <= out.toLocal; day++) {
    meter.step();
    if (!matches(day)) continue;
    const dayUnit = day * periodsPerDay;
    let index = Math.max(dayUnit, startUnit);
    index += (((startUnit - index) % n) + n) % n;
    for (; index < dayUnit + periodsPerDay; index += n) {
      meter.step();
      const second = ((index - dayUnit) * unit) / 1_000;
      const own = [Math.floor(second / 3600), Math.floor(second / 60) % 60, second % 60];
      if (own.slice(0, fixed).some((v, i) => limits[i] && !limits[i].has(v))) continue;
      let times = periodTimes(index * unit, fixed, fields);
      if (rule.bySetPos.length) times = selectPositions(times, rule.bySetPos);
      for (const time of times) if (!out.add(time)) return;
    }
  }
}

/** The period's own start with the finer fields it does not fix taken from the time set. */
function periodTimes(periodStart: number, fixed: number, fields: TimeFields): number[] {
  const [, minutes, seconds] = fields.values;
  if (fixed === 3) return [periodStart];
  if (fixed === 2) return seconds.map((s) => periodStart + s * 1_000);
  const times: number[] = [];
  for (const m of minutes) for (const s of seconds) times.push(periodStart + (m * 60 + s) * 1_000);
  return times;
}
