import ICAL from 'ical.js';
import { IcalError } from '../errors';
import {
  type Attendee,
  type EventStatus,
  type GeoLocation,
  type IcalDuration,
  type IcalEvent,
  type IcalPeriod,
  type IcalTime,
  type Organizer,
  type ParticipationStatus,
} from '../model';
import { type RecurrenceRule, parseRecurrenceRule } from '../recurrence/rule';
import { UTC, localToInstant } from '../time/time-zone';
import { type ContentLine, lineValue } from './content-lines';
import { readDateLists } from './date-lists';
import { type ValueContext, type ZoneLookup, readDuration, readTime } from './values';

type Property = ICAL.Property;

/**
 * Reads one VEVENT (its own lines) into an `IcalEvent`, or throws an `IcalError` when the event
 * cannot be read (no UID, no readable DTSTART). Lesser faults are passed to `note` and the
 * event kept: an unreadable property is left out, a repeated one read from its first line,
 * a bad RRULE leaves only the first instance.
 */
export function readEvent(
  lines: readonly ContentLine[],
  zoneOf: ZoneLookup,
  note: (problem: IcalError) => void,
): IcalEvent {
  // Our own RRULE reader names the bad part; ical.js would only say the line is invalid.
  const rruleLine = lines.find((line) => line.name === 'RRULE');
  const rrule = rruleLine ? ruleOf(rruleLine, note) : null;
  noteRepeats(lines, note);
  const component = parseComponent(
    lines.filter((line) => line.name !== 'RRULE'),
    note,
  );
  const lineOf = lineIndex(lines);
  const ctx = (property: Property, index = 0): ValueContext => ({
    line: lineOf(property.name, index),
    property: property.name.toUpperCase(),
    zoneOf,
  });
  const text = (name: string): string | null => {
    const value = component.getFirstPropertyValue(name);
    return typeof value === 'string' ? value : null;
  };

  const uid = text('uid');
  if (!uid) throw new IcalError('missing-property', 'VEVENT has no UID', lines[0].line, 'UID');
  const startProperty = component.getFirstProperty('dtstart');
  if (!startProperty)
    throw new IcalError('missing-property', 'VEVENT has no DTSTART', lines[0].line, 'DTSTART');
  const start = timeOf(startProperty, ctx(startProperty), lines);
  const recurrenceIdProperty = component.getFirstProperty('recurrence-id');

  return {
    uid,
    line: lines[0].line,
    start,
    duration: durationOf(component, start, ctx, lines),
    allDay: start.kind === 'date',
    summary: text('summary'),
    description: text('description'),
    location: text('location'),
    geo: geoOf(component.getFirstProperty('geo')),
    status: statusOf(text('status')),
    transparent:
      text('transp')?.toUpperCase() === 'TRANSPARENT' ||
      text('x-microsoft-cdo-busystatus')?.toUpperCase() === 'FREE',
    sequence: Number(component.getFirstPropertyValue('sequence') ?? 0) || 0,
    organizer: organizerOf(component.getFirstProperty('organizer')),
    attendees: component.getAllProperties('attendee').map(attendeeOf),
    rrule,
    rdates: dateList(lines, 'RDATE', zoneOf, note),
    // A PERIOD in an EXDATE is a producer's slip; its start names the instance.
    exdates: dateList(lines, 'EXDATE', zoneOf, note).map((t) =>
      t.kind === 'period' ? t.start : t,
    ),
    recurrenceId: recurrenceIdProperty
      ? timeOf(recurrenceIdProperty, ctx(recurrenceIdProperty), lines)
      : null,
    thisAndFuture:
      String(recurrenceIdProperty?.getParameter('range') ?? '').toUpperCase() === 'THISANDFUTURE',
  };
}

function ruleOf(line: ContentLine, note: (problem: IcalError) => void): RecurrenceRule | null {
  try {
    return parseRecurrenceRule(lineValue(line) ?? '', line.line);
  } catch (error) {
    if (!(error instanceof IcalError)) throw error;
    note(
      new IcalError(
        error.code,
        `${error.detail}; only the first instance is counted`,
        line.line,
        'RRULE',
      ),
    );
    return null;
  }
}

/** Properties a VEVENT has at most once (RFC 5545 §3.6.1) that change what is read. */
const ONCE = ['UID', 'DTSTART', 'DTEND', 'DURATION', 'RECURRENCE-ID', 'RRULE', 'STATUS', 'TRANSP'];

function noteRepeats(lines: readonly ContentLine[], note: (problem: IcalError) => void): void {
  let depth = 0;
  const seen = new Set<string>();
  for (const line of lines) {
    if (line.name === 'BEGIN') depth++;
    else if (line.name === 'END') depth--;
    else if (depth === 1 && ONCE.includes(line.name)) {
      if (seen.has(line.name))
        note(
          new IcalError(
            'invalid-value',
            `${line.name} appears more than once; the first one is used`,
            line.line,
            line.name,
          ),
        );
      seen.add(line.name);
    }
  }
}

/**
 * The event as ical.js reads it. A line ical.js cannot read is left out (noted) so the rest
 * still counts; without its UID or DTSTART the event cannot be read at all.
 */
function parseComponent(
  lines: readonly ContentLine[],
  note: (problem: IcalError) => void,
): ICAL.Component {
  const parse = (kept: readonly ContentLine[]) =>
    new ICAL.Component(
      ICAL.parse(kept.map((line) => line.text).join('\r\n')) as unknown as unknown[],
    );
  try {
    return parse(lines);
  } catch {
    const readable = lines.filter((line) => {
      if (line.name === 'BEGIN' || line.name === 'END') return true;
      try {
        ICAL.parse(`BEGIN:VEVENT\r\n${line.text}\r\nEND:VEVENT`);
        return true;
      } catch {
        const problem = new IcalError(
          'syntax',
          `${line.name || 'the line'} could not be read`,
          line.line,
          line.name || null,
        );
        if (line.name === 'UID' || line.name === 'DTSTART') throw problem;
        note(
          new IcalError(
            problem.code,
            `${problem.detail} and was left out`,
            line.line,
            problem.property,
          ),
        );
        return false;
      }
    });
    try {
      return parse(readable);
    } catch {
      throw new IcalError('syntax', 'the event could not be read', lines[0].line, 'VEVENT');
    }
  }
}

/** Unreadable RDATEs or EXDATEs are left out (noted): the series itself still counts. */
function dateList(
  lines: readonly ContentLine[],
  name: 'RDATE' | 'EXDATE',
  zoneOf: ZoneLookup,
  note: (problem: IcalError) => void,
): (IcalTime | IcalPeriod)[] {
  try {
    return readDateLists(lines, name, zoneOf);
  } catch (error) {
    const line = error instanceof IcalError ? error.line : lines.find((l) => l.name === name)?.line;
    const detail = error instanceof IcalError ? error.detail : `${name} could not be read`;
    note(
      new IcalError(
        'invalid-value',
        `${detail}; every ${name} of the event was left out`,
        line ?? null,
        name,
      ),
    );
    return [];
  }
}

function lineIndex(lines: readonly ContentLine[]): (name: string, index: number) => number {
  const byName = new Map<string, number[]>();
  for (const line of lines) byName.set(line.name, [...(byName.get(line.name) ?? []), line.line]);
  return (name, index) => byName.get(name.toUpperCase())?.[index] ?? lines[0].line;
}

/** Read from the line as written: ical.js reshapes values it does not understand. */
function timeOf(property: Property, ctx: ValueContext, lines: readonly ContentLine[]): IcalTime {
  const line = lines.find((l) => l.line === ctx.line);
  const tzid = property.getParameter('tzid');
  return readTime(
    (line ? lineValue(line) : null)?.trim() ?? '',
    typeof tzid === 'string' ? tzid : null,
    ctx,
  );
}

function durationOf(
  component: ICAL.Component,
  start: IcalTime,
  ctx: (property: Property) => ValueContext,
  lines: readonly ContentLine[],
): IcalDuration {
  const endProperty = component.getFirstProperty('dtend');
  const durationProperty = component.getFirstProperty('duration');
  if (endProperty) {
    const end = timeOf(endProperty, ctx(endProperty), lines);
    const { line, property } = ctx(endProperty);
    if ((end.kind === 'date') !== (start.kind === 'date')) {
      throw new IcalError(
        'invalid-value',
        'DTEND and DTSTART must both be dates or both date-times',
        line,
        property,
      );
    }
    const length = instant(end) - instant(start);
    if (length < 0) throw new IcalError('invalid-value', 'DTEND is before DTSTART', line, property);
    return start.kind === 'date'
      ? { days: Math.round(length / 86_400_000), ms: 0 }
      : { days: 0, ms: length };
  }
  if (durationProperty) {
    const duration = readDuration(String(durationProperty.jCal[3]), ctx(durationProperty));
    if (duration.days < 0 || duration.ms < 0) {
      const { line, property } = ctx(durationProperty);
      throw new IcalError('invalid-value', 'DURATION is negative', line, property);
    }
    return duration;
  }
  return start.kind === 'date' ? { days: 1, ms: 0 } : { days: 0, ms: 0 };
}

/** Start and end compared in their own zones; two floating times compare as wall-clock. */
function instant(time: IcalTime): number {
  return localToInstant(time.kind === 'zoned' ? time.zone : UTC, time.localMs);
}

function statusOf(value: string | null): EventStatus {
  switch (value?.toUpperCase()) {
    case 'CANCELLED':
      return 'cancelled';
    case 'TENTATIVE':
      return 'tentative';
    default:
      return 'confirmed';
  }
}

const PARTSTATS: Record<string, ParticipationStatus> = {
  'NEEDS-ACTION': 'needs-action',
  ACCEPTED: 'accepted',
  DECLINED: 'declined',
  TENTATIVE: 'tentative',
  DELEGATED: 'delegated',
};

function attendeeOf(property: Property): Attendee {
  const partstat = String(property.getParameter('partstat') ?? 'NEEDS-ACTION').toUpperCase();
  const role = property.getParameter('role');
  return {
    ...address(property),
    partstat: PARTSTATS[partstat] ?? 'needs-action',
    role: typeof role === 'string' ? role.toUpperCase() : null,
  };
}

function organizerOf(property: Property | null): Organizer | null {
  return property ? address(property) : null;
}

function address(property: Property): { email: string; name: string | null } {
  const cn = property.getParameter('cn');
  return {
    email: String(property.getFirstValue() ?? '')
      .replace(/^mailto:/i, '')
      .toLowerCase(),
    name: typeof cn === 'string' ? cn : null,
  };
}

function geoOf(property: Property | null): GeoLocation | null {
  const value = property?.getFirstValue() as unknown;
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [lat, lng] = value.map(Number);
  return Number.isFinite(lat) && Number.isFinite(lng) ? { lat, lng } : null;
}
