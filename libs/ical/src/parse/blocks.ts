import { IcalError } from '../errors';
import { type ContentLine, lineValue } from './content-lines';

/** A top-level component of a VCALENDAR, kept as its lines so it can be parsed on its own. */
export interface Block {
  readonly kind: string;
  readonly lines: readonly ContentLine[];
}

export interface CalendarBlocks {
  readonly properties: readonly ContentLine[];
  readonly blocks: readonly Block[];
  readonly errors: readonly IcalError[];
}

/**
 * Splits a calendar into its components by BEGIN/END, so that a broken or truncated
 * component costs only itself: every structural problem becomes an error naming its line.
 */
export function splitBlocks(lines: readonly ContentLine[]): CalendarBlocks {
  const properties: ContentLine[] = [];
  const blocks: Block[] = [];
  const errors: IcalError[] = [];
  const stack: string[] = [];
  let sawCalendar = false;
  let current: ContentLine[] = [];
  let broken = false;

  const fail = (code: 'syntax' | 'truncated', detail: string, line: ContentLine) => {
    errors.push(new IcalError(code, detail, line.line, line.name || null));
    if (stack.length > 1) broken = true;
  };

  for (const line of lines) {
    const value = lineValue(line)?.trim().toUpperCase() ?? null;
    if (value === null) {
      fail('syntax', `not a content line: "${line.text.slice(0, 60)}"`, line);
    } else if (line.name === 'BEGIN') {
      if (stack.length === 0 && value !== 'VCALENDAR') {
        fail('syntax', `BEGIN:${value} outside VCALENDAR`, line);
        continue;
      }
      sawCalendar = true;
      stack.push(value);
      if (stack.length === 2) {
        current = [];
        broken = false;
      }
      if (stack.length > 1) current.push(line);
    } else if (line.name === 'END') {
      const index = stack.lastIndexOf(value);
      if (index < 0) {
        fail('syntax', `END:${value} closes nothing`, line);
        continue;
      }
      if (index !== stack.length - 1)
        fail('syntax', `END:${value} leaves ${stack[stack.length - 1]} open`, line);
      if (stack.length > 1) current.push(line);
      stack.length = index;
      if (stack.length === 1 && index === 1) {
        if (broken) errors.push(skipped(current[0]));
        else blocks.push({ kind: value, lines: current });
      }
    } else if (stack.length === 1) {
      properties.push(line);
    } else if (stack.length > 1) {
      current.push(line);
    } else {
      fail('syntax', 'content outside VCALENDAR', line);
    }
  }

  if (!sawCalendar)
    errors.push(
      new IcalError('truncated', 'no BEGIN:VCALENDAR found', lines[0]?.line ?? 1, 'BEGIN'),
    );
  if (stack.length > 1) {
    errors.push(
      new IcalError(
        'truncated',
        `${stack[1]} opened here is never closed`,
        current[0].line,
        'BEGIN',
      ),
    );
  }
  if (stack.length > 0) {
    errors.push(
      new IcalError('truncated', 'END:VCALENDAR is missing', lines[lines.length - 1].line, 'END'),
    );
  }
  return { properties, blocks, errors };
}

function skipped(begin: ContentLine): IcalError {
  return new IcalError(
    'syntax',
    `${lineValue(begin)} starting here was skipped`,
    begin.line,
    'BEGIN',
  );
}
