import ICAL from 'ical.js';
import { IcalError } from '../errors';
import { type IcalPeriod, type IcalTime } from '../model';
import { MS_PER_DAY } from '../time/civil';
import { type ContentLine, lineValue } from './content-lines';
import { type ValueContext, type ZoneLookup, readDuration, readTime } from './values';

/**
 * The values of every RDATE or EXDATE line, each read on its own: producers mix dates and
 * date-times in one list whatever `VALUE` says, and ical.js would mangle the odd ones out
 * (`2026-01-07T::`), losing the whole event. A `start/end` or `start/duration` value is a PERIOD.
 */
export function readDateLists(
  lines: readonly ContentLine[],
  name: 'RDATE' | 'EXDATE',
  zoneOf: ZoneLookup,
): (IcalTime | IcalPeriod)[] {
  return lines
    .filter((line) => line.name === name)
    .flatMap((line) => {
      const ctx: ValueContext = { line: line.line, property: name, zoneOf };
      const tzid = tzidOf(line);
      return (lineValue(line) ?? '')
        .split(',')
        .map((value) => value.trim())
        .filter(Boolean)
        .map((value) =>
          value.includes('/') ? periodOf(value, tzid, ctx) : readTime(value, tzid, ctx),
        );
    });
}

function tzidOf(line: ContentLine): string | null {
  const params = line.text.slice(0, line.text.length - (lineValue(line)?.length ?? 0) - 1);
  const tzid = (ICAL.parse.property(`${params}:x`)[1] as Record<string, unknown>).tzid;
  return typeof tzid === 'string' ? tzid : null;
}

function periodOf(value: string, tzid: string | null, ctx: ValueContext): IcalPeriod {
  const [from, to] = value.split('/');
  const start = readTime(from, tzid, ctx);
  if (/^[+-]?P/.test(to)) {
    const { days, ms } = readDuration(to, ctx);
    return {
      kind: 'period',
      start,
      end: { ...start, localMs: start.localMs + days * MS_PER_DAY + ms },
    };
  }
  const end = readTime(to, tzid, ctx);
  if (start.kind === 'date' || end.kind !== start.kind)
    throw new IcalError(
      'invalid-value',
      `"${value}" is not a valid period`,
      ctx.line,
      ctx.property,
    );
  return { kind: 'period', start, end };
}
