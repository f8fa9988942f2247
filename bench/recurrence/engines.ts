import 'temporal-polyfill/global';
import { rruleRustModule } from './rrule-rust-module';
import { parseRecurrenceRule, ruleStarts } from '@cs/ical';
import ICAL from 'ical.js';
import { RRule } from 'rrule';
import { RRuleTemporal } from 'rrule-temporal';
import { wallMs, wallText } from '../../libs/ical/test/vectors/vector-file';

/** What each engine is asked: the rule's starts in a wall-clock window, COUNT from DTSTART, no UNTIL. */
export interface StartsQuery {
  readonly rrule: string;
  readonly dtstart: string;
  readonly allDay: boolean;
  readonly fromLocal: number;
  readonly toLocal: number;
}

export interface Engine {
  readonly name: string;
  readonly starts: (query: StartsQuery) => number[];
}

/** Iterations any engine with an open iterator may spend on one expansion before it counts as hung. */
const WORK_CAP = 500_000;

const floating = (q: StartsQuery) => (q.allDay ? q.dtstart.slice(0, 8) : q.dtstart.slice(0, 15));

const ours: Engine = {
  name: 'ours',
  starts: (q) =>
    ruleStarts(parseRecurrenceRule(q.rrule), wallMs(q.dtstart), {
      allDay: q.allDay,
      fromLocal: q.fromLocal,
      toLocal: q.toLocal,
    }),
};

const icalJs: Engine = {
  name: 'ical.js',
  starts: (q) => {
    const start = new Date(wallMs(q.dtstart));
    const iterator = ICAL.Recur.fromString(q.rrule).iterator(
      ICAL.Time.fromData({
        year: start.getUTCFullYear(),
        month: start.getUTCMonth() + 1,
        day: start.getUTCDate(),
        hour: start.getUTCHours(),
        minute: start.getUTCMinutes(),
        second: start.getUTCSeconds(),
        isDate: q.allDay,
      }),
    );
    const out: number[] = [];
    for (let i = 0; i < WORK_CAP; i++) {
      const next = iterator.next();
      if (!next) return out;
      const at = Date.UTC(next.year, next.month - 1, next.day, next.hour, next.minute, next.second);
      if (at > q.toLocal) return out;
      if (at >= q.fromLocal) out.push(at);
    }
    throw new Error('work cap reached');
  },
};

const rruleJs: Engine = {
  name: 'rrule',
  starts: (q) => {
    const options = RRule.parseString(q.rrule);
    let steps = 0;
    return new RRule({ ...options, dtstart: new Date(wallMs(q.dtstart)) })
      .between(new Date(q.fromLocal), new Date(q.toLocal), true, () => ++steps < WORK_CAP)
      .map((date) => date.getTime());
  },
};

const rruleTemporal: Engine = {
  name: 'rrule-temporal',
  starts: (q) =>
    new RRuleTemporal({
      rruleString: `DTSTART;TZID=UTC:${q.dtstart.slice(0, 8)}T${q.allDay ? '000000' : q.dtstart.slice(9, 15)}\nRRULE:${q.rrule}`,
      maxIterations: WORK_CAP,
    })
      .between(new Date(q.fromLocal), new Date(q.toLocal), true)
      .map((zoned) => zoned.epochMilliseconds),
};

const rruleRust: Engine = {
  name: 'rrule-rust',
  starts: (q) => {
    const { RRuleSet, DateTime } = rruleRustModule();
    const dtstart = q.allDay ? `DTSTART;VALUE=DATE:${floating(q)}` : `DTSTART:${floating(q)}Z`;
    const bound = (ms: number) =>
      DateTime.fromString(q.allDay ? wallText(ms, true) : `${wallText(ms, false)}Z`);
    return RRuleSet.fromString(`${dtstart}\nRRULE:${q.rrule}`)
      .between(bound(q.fromLocal), bound(q.toLocal), true)
      .map((date) => wallMs(String(date)));
  },
};

export const engines: readonly Engine[] = [ours, icalJs, rruleJs, rruleTemporal, rruleRust];
