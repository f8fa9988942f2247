import ICAL from 'ical.js';
import { IcalError } from '../errors';
import {
  type Attendee,
  type EventStatus,
  type GeoLocation,
  type IcalDuration,
  type IcalEvent,
  type IcalTime,
  type Organizer,
  type ParticipationStatus,
} from '../model';
import { parseRecurrenceRule } from '../recurrence/rule';
import { type TimeZone, UTC, localToInstant } from '../time/time-zone';
import { type ContentLine, lineValue } from './content-lines';
import { type ValueContext, readDuration, readTime } from './values';

type Property = ICAL.Property;

/** Reads one VEVENT (its own lines) into an `IcalEvent`, or throws an `IcalError`. */
export function readEvent(
  lines: readonly ContentLine[],
  zoneOf: (tzid: string) => TimeZone | null,
): IcalEvent {
  // Our own RRULE reader names the bad part; ical.js would only say the line is invalid.
  const rruleLine = lines.find((line) => line.name === 'RRULE');
  const rrule = rruleLine ? parseRecurrenceRule(lineValue(rruleLine) ?? '', rruleLine.line) : null;
  const component = parseComponent(lines);
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
  const start = timeOf(startProperty, ctx(startProperty));
  const recurrenceIdProperty = component.getFirstProperty('recurrence-id');

  return {
    uid,
    line: lines[0].line,
    start,
    duration: durationOf(component, start, ctx),
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
    rdates: timesOf(component.getAllProperties('rdate'), ctx),
    exdates: timesOf(component.getAllProperties('exdate'), ctx),
    recurrenceId: recurrenceIdProperty
      ? timeOf(recurrenceIdProperty, ctx(recurrenceIdProperty))
      : null,
    thisAndFuture:
      String(recurrenceIdProperty?.getParameter('range') ?? '').toUpperCase() === 'THISANDFUTURE',
  };
}

function parseComponent(lines: readonly ContentLine[]): ICAL.Component {
  try {
    return new ICAL.Component(
      ICAL.parse(lines.map((line) => line.text).join('\r\n')) as unknown as unknown[],
    );
  } catch (error) {
    for (const line of lines.slice(1, -1)) {
      try {
        ICAL.parse(`BEGIN:VEVENT\r\n${line.text}\r\nEND:VEVENT`);
      } catch (lineError) {
        const code = line.name === 'RRULE' ? 'invalid-rrule' : 'syntax';
        throw new IcalError(code, (lineError as Error).message, line.line, line.name || null);
      }
    }
    throw new IcalError('syntax', (error as Error).message, lines[0].line, 'VEVENT');
  }
}

function lineIndex(lines: readonly ContentLine[]): (name: string, index: number) => number {
  const byName = new Map<string, number[]>();
  for (const line of lines) byName.set(line.name, [...(byName.get(line.name) ?? []), line.line]);
  return (name, index) => byName.get(name.toUpperCase())?.[index] ?? lines[0].line;
}

function timeOf(property: Property, ctx: ValueContext, valueIndex = 0): IcalTime {
  const raw = property.jCal[3 + valueIndex];
  const value = Array.isArray(raw) ? raw[0] : raw;
  const tzid = property.getParameter('tzid');
  return readTime(String(value ?? ''), typeof tzid === 'string' ? tzid : null, ctx);
}

function timesOf(
  properties: Property[],
  ctx: (property: Property, index: number) => ValueContext,
): IcalTime[] {
  return properties.flatMap((property, index) =>
    property.jCal
      .slice(3)
      .map((_, valueIndex) => timeOf(property, ctx(property, index), valueIndex)),
  );
}

function durationOf(
  component: ICAL.Component,
  start: IcalTime,
  ctx: (property: Property) => ValueContext,
): IcalDuration {
  const endProperty = component.getFirstProperty('dtend');
  const durationProperty = component.getFirstProperty('duration');
  if (endProperty) {
    const end = timeOf(endProperty, ctx(endProperty));
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
