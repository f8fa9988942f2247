import ICAL from 'ical.js';
import { IcalError } from '../errors';
import { type CalendarProblem, type IcalEvent, type ParsedCalendar } from '../model';
import { resolveZone } from '../time/resolve-zone';
import { type TimeZone } from '../time/time-zone';
import { vtimezoneZone } from '../time/vtimezone-zone';
import { type Block, splitBlocks, uidOf } from './blocks';
import { lineValue, unfold } from './content-lines';
import { readEvent } from './read-event';

interface Found {
  readonly error: IcalError;
  readonly eventUid: string | null;
  readonly kept: boolean;
}
type Report = (error: IcalError, eventUid: string | null, kept: boolean) => void;

/**
 * Parses iCalendar text from any producer. Never throws: each VEVENT is read on its own,
 * so a broken one becomes a problem and the good ones around it are kept. A TZID nobody
 * knows is read as floating time (so in the calendar's `X-WR-TIMEZONE` where it has one).
 */
export function parseCalendar(text: string): ParsedCalendar {
  const { properties, blocks, cut, errors: structural } = splitBlocks(unfold(text));
  const found: Found[] = [];
  const report: Report = (error, eventUid, kept) => found.push({ error, eventUid, kept });
  for (const { error, component } of structural)
    report(
      error,
      component ? uidOf(component) : null,
      !cut.some((block) => block.lines === component),
    );

  const custom = new Map<string, TimeZone>();
  for (const block of blocks.filter((b) => b.kind === 'VTIMEZONE')) {
    const zone = attempt(block, () => readTimezone(block), report);
    if (zone) custom.set(zone.id, zone);
  }

  const property = (name: string) => {
    const line = properties.find((p) => p.name === name);
    return line ? (lineValue(line)?.trim() ?? null) : null;
  };
  const wrTimezone = property('X-WR-TIMEZONE');
  const calendarZone = wrTimezone ? resolveZone(wrTimezone, custom) : null;
  if (wrTimezone && !calendarZone) {
    const line = properties.find((p) => p.name === 'X-WR-TIMEZONE')?.line ?? null;
    const detail = `time zone "${wrTimezone}" is not known; floating times are read as floating`;
    report(new IcalError('unknown-tzid', detail, line, 'X-WR-TIMEZONE'), null, true);
  }

  const events: IcalEvent[] = [];
  for (const block of blocks.filter((b) => b.kind === 'VEVENT')) {
    const notes: IcalError[] = [];
    const unknownZone = (tzid: string) => {
      const line = block.lines.find((l) => l.text.includes(`TZID=${tzid}`))?.line ?? null;
      const as = calendarZone
        ? `in the calendar's time zone ${calendarZone.id}`
        : 'as floating time';
      notes.push(
        new IcalError('unknown-tzid', `unknown time zone "${tzid}", read ${as}`, line, 'TZID'),
      );
      return 'floating' as const;
    };
    const seen = new Map<string, TimeZone | 'floating'>();
    const zoneOf = (tzid: string) => {
      if (!seen.has(tzid)) seen.set(tzid, resolveZone(tzid, custom) ?? unknownZone(tzid));
      return seen.get(tzid)!;
    };
    const event = attempt(
      block,
      () => readEvent(block.lines, zoneOf, (n) => notes.push(n)),
      report,
    );
    if (!event) continue;
    for (const note of notes) report(note, event.uid, true);
    events.push(calendarZone ? anchorFloating(event, calendarZone) : event);
  }
  found.sort((a, b) => (a.error.line ?? 0) - (b.error.line ?? 0));
  return {
    events,
    errors: found.map((f) => f.error),
    problems: found.map(problemOf),
    method: property('METHOD')?.toUpperCase() ?? null,
    calendarZone,
  };
}

const problemOf = ({ error, eventUid, kept }: Found): CalendarProblem => ({
  eventUid,
  line: error.line,
  code: error.code,
  reason: kept ? error.detail : `${error.detail}; the event was left out`,
  kept,
});

function readTimezone(block: Block): TimeZone {
  const component = new ICAL.Component(
    ICAL.parse(block.lines.map((l) => l.text).join('\r\n')) as unknown as unknown[],
  );
  if (!component.getFirstPropertyValue('tzid')) {
    throw new IcalError('missing-property', 'VTIMEZONE has no TZID', block.lines[0].line, 'TZID');
  }
  return vtimezoneZone(component);
}

/**
 * Runs one component's reader; whatever it throws costs that component only. An exception
 * of our own carries words meant for people; any other gets a plain reason of ours.
 */
function attempt<T>(block: Block, read: () => T, report: Report): T | null {
  try {
    return read();
  } catch (error) {
    report(
      error instanceof IcalError
        ? error
        : new IcalError(
            'syntax',
            `the ${block.kind} could not be read`,
            block.lines[0].line,
            block.kind,
          ),
      uidOf(block.lines),
      false,
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
    rdates: event.rdates.map((t) =>
      t.kind === 'period' ? { ...t, start: anchor(t.start), end: anchor(t.end) } : anchor(t),
    ),
    exdates: event.exdates.map(anchor),
    recurrenceId: event.recurrenceId ? anchor(event.recurrenceId) : null,
  };
}
