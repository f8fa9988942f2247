import ICAL from 'ical.js';
import { IcalError } from '../errors';
import { type IcalEvent, type ParsedCalendar } from '../model';
import { resolveZone } from '../time/resolve-zone';
import { type TimeZone } from '../time/time-zone';
import { vtimezoneZone } from '../time/vtimezone-zone';
import { type Block, splitBlocks } from './blocks';
import { lineValue, unfold } from './content-lines';
import { readEvent } from './read-event';

/**
 * Parses iCalendar text from any producer. Never throws: each VEVENT is read on its own,
 * so a broken one becomes an entry in `errors` and the good ones around it are kept.
 */
export function parseCalendar(text: string): ParsedCalendar {
  const { properties, blocks, errors: structural } = splitBlocks(unfold(text));
  const errors: IcalError[] = [...structural];
  const custom = new Map<string, TimeZone>();
  for (const block of blocks.filter((b) => b.kind === 'VTIMEZONE')) {
    const zone = attempt(block, () => readTimezone(block), errors);
    if (zone) custom.set(zone.id, zone);
  }
  const zoneOf = (tzid: string) => resolveZone(tzid, custom);

  const property = (name: string) => {
    const line = properties.find((p) => p.name === name);
    return line ? (lineValue(line)?.trim() ?? null) : null;
  };
  const wrTimezone = property('X-WR-TIMEZONE');
  const calendarZone = wrTimezone ? zoneOf(wrTimezone) : null;
  if (wrTimezone && !calendarZone) {
    const line = properties.find((p) => p.name === 'X-WR-TIMEZONE')?.line ?? null;
    errors.push(
      new IcalError(
        'unknown-tzid',
        `time zone "${wrTimezone}" is not known`,
        line,
        'X-WR-TIMEZONE',
      ),
    );
  }

  const events: IcalEvent[] = [];
  for (const block of blocks.filter((b) => b.kind === 'VEVENT')) {
    const event = attempt(block, () => readEvent(block.lines, zoneOf), errors);
    if (event) events.push(calendarZone ? anchorFloating(event, calendarZone) : event);
  }
  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { events, errors, method: property('METHOD')?.toUpperCase() ?? null, calendarZone };
}

function readTimezone(block: Block): TimeZone {
  const component = new ICAL.Component(
    ICAL.parse(block.lines.map((l) => l.text).join('\r\n')) as unknown as unknown[],
  );
  if (!component.getFirstPropertyValue('tzid')) {
    throw new IcalError('missing-property', 'VTIMEZONE has no TZID', block.lines[0].line, 'TZID');
  }
  return vtimezoneZone(component);
}

/** Runs one component's reader; whatever it throws is recorded against that component. */
function attempt<T>(block: Block, read: () => T, errors: IcalError[]): T | null {
  try {
    return read();
  } catch (error) {
    errors.push(
      error instanceof IcalError
        ? error
        : new IcalError(
            'syntax',
            String((error as Error)?.message ?? error),
            block.lines[0].line,
            block.kind,
          ),
    );
    return null;
  }
}

/** Google and Apple mean floating times in the calendar's `X-WR-TIMEZONE`. */
function anchorFloating(event: IcalEvent, zone: TimeZone): IcalEvent {
  const anchor = <T extends IcalEvent['start']>(time: T) =>
    time.kind === 'floating' ? { kind: 'zoned' as const, localMs: time.localMs, zone } : time;
  return {
    ...event,
    start: anchor(event.start),
    rdates: event.rdates.map(anchor),
    exdates: event.exdates.map(anchor),
    recurrenceId: event.recurrenceId ? anchor(event.recurrenceId) : null,
  };
}
