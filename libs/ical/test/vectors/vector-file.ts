import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** One recurrence case from a public test suite, in the shape every file here shares. */
export interface RecurrenceVector {
  readonly id: string;
  readonly rrule: string;
  /** `YYYYMMDD`, `YYYYMMDDTHHMMSS` or the same with `Z`. */
  readonly dtstart: string;
  readonly tzid?: string;
  readonly window?: { readonly from: string; readonly to: string };
  /** Wall-clock starts, in the form of `dtstart` without `Z`. */
  readonly expected: readonly string[];
  /** Whether the source adds a DTSTART the rule does not yield as the first instance. */
  readonly dtstartCounted: boolean;
  readonly skip?: string;
}

export interface VectorFile {
  readonly name: string;
  readonly source: { repo: string; path: string; license: string; note: string };
  readonly vectors: readonly RecurrenceVector[];
}

const DAY = 86_400_000;

export function vectorFiles(): VectorFile[] {
  return readdirSync(__dirname)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      name: file.replace(/\.json$/, ''),
      ...(JSON.parse(readFileSync(join(__dirname, file), 'utf8')) as Omit<VectorFile, 'name'>),
    }));
}

/** A basic-format date or date-time read as wall-clock ms ("local ms"); `Z` is ignored. */
export function wallMs(text: string): number {
  const part = (at: number, length: number) => Number(text.slice(at, at + length) || 0);
  return Date.UTC(part(0, 4), part(4, 2) - 1, part(6, 2), part(9, 2), part(11, 2), part(13, 2));
}

export function wallText(ms: number, allDay: boolean): string {
  const iso = new Date(ms).toISOString().replace(/[-:]/g, '');
  return allDay ? iso.slice(0, 8) : iso.slice(0, 15);
}

export const isAllDay = (vector: RecurrenceVector) => vector.dtstart.length === 8;

/**
 * The window to expand: the vector's own, else from DTSTART to a year past the last instance,
 * or a day past UNTIL (a day covers any zone's offset), so sub-daily rules stay small.
 */
export function vectorWindow(vector: RecurrenceVector): { fromLocal: number; toLocal: number } {
  if (vector.window)
    return { fromLocal: wallMs(vector.window.from), toLocal: wallMs(vector.window.to) };
  const last = vector.expected.at(-1) ?? vector.dtstart;
  const until = untilWall(vector.rrule, isAllDay(vector));
  return {
    fromLocal: wallMs(vector.dtstart),
    toLocal: Math.min(wallMs(last) + 366 * DAY, until + DAY),
  };
}

/**
 * UNTIL as the last wall-clock start it admits, for floating and UTC vectors; a date UNTIL
 * on a timed DTSTART admits that whole day.
 */
export function untilWall(rrule: string, allDay: boolean): number {
  const until = /UNTIL=([0-9TZ]+)/i.exec(rrule)?.[1];
  if (!until) return Infinity;
  const at = wallMs(until);
  return until.length === 8 && !allDay ? at + DAY - 1 : at;
}
