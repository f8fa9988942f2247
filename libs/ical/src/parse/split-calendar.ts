import { splitBlocks, uidOf } from './blocks';
import { unfold } from './content-lines';

export interface CalendarParts {
  /** False when nothing in the text looks like iCalendar (no VCALENDAR, no component). */
  readonly calendar: boolean;
  /** Calendar-level lines that change how events read (`X-WR-TIMEZONE`). */
  readonly header: readonly string[];
  readonly timezones: readonly string[];
  /** Each VEVENT as its own text (unfolded lines), read or not: the reader names its problems. */
  readonly events: ReadonlyArray<{ uid: string | null; line: number; text: string }>;
}

/**
 * Cuts a calendar into its events without reading them, so that a feed can be handled event
 * by event and a broken one costs only itself (the structure is mended as `parseCalendar` does).
 */
export function splitCalendar(text: string): CalendarParts {
  const { properties, blocks, cut, calendar } = splitBlocks(unfold(text));
  const join = (lines: readonly { text: string }[]) => lines.map((l) => l.text).join('\r\n');
  return {
    calendar,
    header: properties.filter((p) => p.name === 'X-WR-TIMEZONE').map((p) => p.text),
    timezones: blocks.filter((b) => b.kind === 'VTIMEZONE').map((b) => join(b.lines)),
    events: [...blocks, ...cut]
      .filter((b) => b.kind === 'VEVENT')
      .sort((a, b) => a.lines[0].line - b.lines[0].line)
      .map((b) => ({ uid: uidOf(b.lines), line: b.lines[0].line, text: join(b.lines) })),
  };
}
