import { MS_PER_DAY } from '../../time/civil';
import { type RecurrenceRule } from '../rule';
import { BudgetMeter, DEFAULT_EXPANSION_BUDGET, type ExpansionBudget } from './budget';
import { Collector } from './collector';
import { type DayFilter, dayFilter } from './day-filter';
import { alignedIndex, dayPeriods } from './periods';
import { selectPositions } from './set-pos';
import { type SubDailyFrequency, subDailyStarts } from './sub-daily';
import { type TimeFields, daySeconds, timeFields } from './time-set';

export interface RuleStartsOptions {
  readonly allDay: boolean;
  readonly fromLocal: number;
  readonly toLocal: number;
  readonly budget?: ExpansionBudget;
}

/**
 * Wall-clock starts ("local ms") in [fromLocal, toLocal] that the rule yields from DTSTART,
 * ascending, with python-dateutil's semantics: DTSTART only when the rule yields it, COUNT
 * counting what the rule yields. UNTIL is not applied: it is defined on instants, so the
 * caller applies it. A rule without COUNT starts at the period holding `fromLocal`, so the
 * cost follows the window, not the years since DTSTART; a rule with COUNT walks from DTSTART.
 * Either way the walk ends past `toLocal` or when the budget runs out (`recurrence-budget`).
 */
export function ruleStarts(
  rule: RecurrenceRule,
  dtstartLocal: number,
  options: RuleStartsOptions,
): number[] {
  const { allDay, fromLocal, toLocal } = options;
  const meter = new BudgetMeter(options.budget ?? DEFAULT_EXPANSION_BUDGET);
  // Recurrence works to the second; DTSTART carries no finer part.
  const startLocal = Math.floor(dtstartLocal / 1_000) * 1_000;
  const startDay = Math.floor(startLocal / MS_PER_DAY);
  const out = new Collector(startLocal, fromLocal, toLocal, rule.count, meter);
  if (toLocal < Math.max(fromLocal, startLocal)) return out.starts;
  const matches = dayFilter(rule, startDay);
  const fields = timeFields(rule, (startLocal - startDay * MS_PER_DAY) / 1_000, allDay);
  const windowDay = Math.floor(fromLocal / MS_PER_DAY);
  const fromDay = rule.count === null ? Math.max(startDay, windowDay) : startDay;
  if (isSubDaily(rule)) {
    subDailyStarts({ rule, startLocal, fromDay, matches, fields }, meter, out);
  } else {
    dayLevelStarts(rule, startDay, fromDay, matches, fields, meter, out);
  }
  return out.starts;
}

function isSubDaily(
  rule: RecurrenceRule,
): rule is RecurrenceRule & { readonly freq: SubDailyFrequency } {
  return rule.freq === 'HOURLY' || rule.freq === 'MINUTELY' || rule.freq === 'SECONDLY';
}

/** DAILY, WEEKLY, MONTHLY, YEARLY: each period's matching days times the day's time set. */
function dayLevelStarts(
  rule: RecurrenceRule,
  startDay: number,
  fromDay: number,
  matches: DayFilter,
  fields: TimeFields,
  meter: BudgetMeter,
  out: Collector,
): void {
  const periods = dayPeriods(rule);
  const seconds = daySeconds(fields).map((s) => s * 1_000);
  const first = periods.indexOf(startDay);
  for (
    let index = alignedIndex(first, periods.indexOf(fromDay), rule.interval);
    periods.firstDay(index) * MS_PER_DAY <= out.toLocal;
    index += rule.interval
  ) {
    meter.step();
    let candidates: number[] = [];
    for (let day = periods.firstDay(index); day < periods.firstDay(index + 1); day++) {
      meter.step();
      if (matches(day)) for (const s of seconds) candidates.push(day * MS_PER_DAY + s);
    }
    if (rule.bySetPos.length) candidates = selectPositions(candidates, rule.bySetPos);
    for (const start of candidates) if (!out.add(start)) return;
  }
}
