import { IcalError } from '../errors';
import { type ContentLine, lineValue } from './content-lines';

/** A top-level component of a VCALENDAR, kept as its lines so it can be parsed on its own. */
export interface Block {
  readonly kind: string;
  readonly lines: readonly ContentLine[];
}

/** A structural problem and the lines of the component it concerns (the same array as its block's). */
export interface StructuralError {
  readonly error: IcalError;
  readonly component: readonly ContentLine[] | null;
}

export interface CalendarBlocks {
  readonly properties: readonly ContentLine[];
  readonly blocks: readonly Block[];
  /** Components cut off by the end of the text: too incomplete to read, kept to name them. */
  readonly cut: readonly Block[];
  readonly errors: readonly StructuralError[];
  /** Whether anything in the text looked like iCalendar (a VCALENDAR or a component). */
  readonly calendar: boolean;
}

/** Components that live directly in a VCALENDAR and never inside one another. */
const TOP_LEVEL = new Set(['VEVENT', 'VTODO', 'VJOURNAL', 'VFREEBUSY', 'VTIMEZONE']);

/**
 * Splits a calendar into its components by BEGIN/END, so that a broken component costs only
 * itself. Producers' slips are mended where the intent is plain, each one an error naming its
 * line: a missing END is supplied where the next component begins, a stray line is left out,
 * components without a VCALENDAR around them are read as if they had one. Only a component
 * cut off by the end of the text is not read.
 */
export function splitBlocks(lines: readonly ContentLine[]): CalendarBlocks {
  const properties: ContentLine[] = [];
  const blocks: Block[] = [];
  const errors: StructuralError[] = [];
  const stack: string[] = [];
  let calendar = false;
  let current: ContentLine[] = [];

  const fail = (code: 'syntax' | 'truncated', detail: string, line: ContentLine) =>
    errors.push({
      error: new IcalError(code, detail, line.line, line.name || null),
      component: stack.length > 1 ? current : null,
    });
  // Named at the component's BEGIN, so that the problem is the component's own.
  const unclosed = (at: ContentLine) =>
    fail(
      'syntax',
      `${stack[1]} has no END:${stack[1]}; it is read up to line ${at.line - 1}`,
      current[0],
    );

  /** Closes every open level down to `depth`, supplying the missing END lines at `at`. */
  const closeTo = (depth: number, at: ContentLine) => {
    while (stack.length > depth) {
      const kind = stack.pop()!;
      current.push({ text: `END:${kind}`, line: at.line, name: 'END' });
      if (stack.length === 1) blocks.push({ kind, lines: current });
    }
  };

  for (const line of lines) {
    const value = lineValue(line)?.trim().toUpperCase() ?? null;
    if (value === null) {
      fail('syntax', `line ${line.line} is not an iCalendar property and was ignored`, line);
    } else if (line.name === 'BEGIN') {
      if (value === 'VCALENDAR') {
        if (stack.length > 0)
          fail('syntax', 'a calendar begins inside a calendar; read as one', line);
        if (stack.length > 1) {
          unclosed(line);
          closeTo(1, line);
        }
        calendar = true;
        if (stack.length === 0) stack.push('VCALENDAR');
        continue;
      }
      if (stack.length === 0) {
        if (!TOP_LEVEL.has(value)) {
          fail('syntax', `BEGIN:${value} outside a calendar was ignored`, line);
          continue;
        }
        fail('syntax', `BEGIN:${value} outside a calendar; read as if inside one`, line);
        calendar = true;
        stack.push('VCALENDAR');
      }
      if (stack.length > 1 && TOP_LEVEL.has(value)) {
        unclosed(line);
        closeTo(1, line);
      }
      stack.push(value);
      if (stack.length === 2) current = [];
      if (stack.length > 1) current.push(line);
    } else if (line.name === 'END') {
      const index = stack.lastIndexOf(value);
      if (index < 0) {
        fail('syntax', `END:${value} closes nothing and was ignored`, line);
        continue;
      }
      if (index === 0 && stack.length > 1) unclosed(line);
      else if (index !== stack.length - 1)
        fail('syntax', `END:${stack[stack.length - 1]} is missing before line ${line.line}`, line);
      closeTo(index + 1, line);
      if (index > 0) current.push(line);
      stack.length = index;
      if (index === 1) blocks.push({ kind: value, lines: current });
    } else if (stack.length === 1) {
      properties.push(line);
    } else if (stack.length > 1) {
      current.push(line);
    } else {
      fail('syntax', `line ${line.line} is outside the calendar and was ignored`, line);
    }
  }

  const cut: Block[] = [];
  const last = lines[lines.length - 1];
  if (!calendar)
    errors.push({
      error: new IcalError('truncated', 'no BEGIN:VCALENDAR found', lines[0]?.line ?? 1, 'BEGIN'),
      component: null,
    });
  if (stack.length > 1) {
    cut.push({ kind: stack[1], lines: current });
    const detail = `${stack[1]} is cut off by the end of the file`;
    errors.push({
      error: new IcalError('truncated', detail, current[0].line, 'BEGIN'),
      component: current,
    });
  }
  if (stack.length > 0)
    errors.push({
      error: new IcalError('truncated', 'END:VCALENDAR is missing', last.line, 'END'),
      component: null,
    });
  return { properties, blocks, cut, errors, calendar };
}

/** The UID a component's own lines give, read plainly so that it is known even when nothing else is. */
export function uidOf(lines: readonly ContentLine[]): string | null {
  let depth = 0;
  for (const line of lines) {
    if (line.name === 'BEGIN') depth++;
    else if (line.name === 'END') depth--;
    else if (depth === 1 && line.name === 'UID') return lineValue(line)?.trim() || null;
  }
  return null;
}
