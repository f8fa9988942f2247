import { ruleStarts } from './engine';
import { type RecurrenceRule } from './rule';

/**
 * Wall-clock starts of a series in [fromLocal, toLocal]: the rule's own, plus DTSTART, which
 * RFC 5545 §3.8.5.3 always counts as the first instance even when the rule does not yield it.
 */
export function seriesLocalStarts(
  series: {
    readonly startLocal: number;
    readonly allDay: boolean;
    readonly rule: RecurrenceRule | null;
  },
  fromLocal: number,
  toLocal: number,
): number[] {
  const { startLocal, allDay, rule } = series;
  const starts = rule ? ruleStarts(rule, startLocal, { allDay, fromLocal, toLocal }) : [];
  if (startLocal >= fromLocal && startLocal <= toLocal && starts[0] !== startLocal)
    starts.unshift(startLocal);
  return starts;
}
