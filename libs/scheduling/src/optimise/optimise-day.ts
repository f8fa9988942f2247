import { MS_PER_DAY, MS_PER_MINUTE, localToInstant, parseIsoDate } from '@cs/ical';
import { busyTime } from '../busy/busy-time';
import { SchedulingError } from '../errors';
import { type Interval } from '../intervals/intervals';
import { type Appointment } from '../model';
import { type AvailabilityQuery, allowedStarts, proContext, slotsOf } from '../slots/availability';
import { toLocalIso, zoneOrThrow } from '../time/zone';
import { greatCircleTravel } from '../travel/travel';
import { type RouteStop, routeTravelMs } from './route';

export interface MovableAppointment extends Appointment {
  /** Whether the client allows the platform to move this visit. */
  readonly movable: boolean;
  /** Where the client allows it to move; `null` means anywhere on the day. */
  readonly allowedWindow: Interval | null;
}

export interface OptimiseDayInput extends Omit<
  AvailabilityQuery,
  'serviceId' | 'range' | 'bookings' | 'clientLocation' | 'emergency'
> {
  /** The Pro's local date, `YYYY-MM-DD`. */
  readonly date: string;
  readonly appointments: readonly MovableAppointment[];
  readonly maxMoves?: number;
}

export interface MoveProposal {
  readonly bookingId: string;
  readonly from: number;
  readonly to: number;
  readonly travelSavedMinutes: number;
  readonly explanation: string;
}

export interface DayPlan {
  readonly proposals: readonly MoveProposal[];
  readonly travelBeforeMinutes: number;
  readonly travelAfterMinutes: number;
}

/**
 * Proposes moves of movable appointments that cut a Pro's travel for one day. A
 * best-improvement local search: each round tries every movable appointment (by id) at every
 * start the availability rules allow given the others, and applies the single move that
 * saves most (ties: lowest id, then earliest start). Deterministic for the same input.
 */
export function optimiseDay(input: OptimiseDayInput): DayPlan {
  const zone = zoneOrThrow(input.settings.timeZone, 'timeZone');
  const day = parseIsoDate(input.date);
  if (day === null)
    throw new SchedulingError(
      'invalid-setting',
      'date',
      `"${input.date}" is not a YYYY-MM-DD date`,
    );
  const dayRange = {
    start: localToInstant(zone, day * MS_PER_DAY),
    end: localToInstant(zone, (day + 1) * MS_PER_DAY),
  };
  const travel =
    input.travel ??
    greatCircleTravel({
      averageSpeedKmh: input.territory?.averageSpeedKmh,
      detourFactor: input.territory?.detourFactor,
    });
  const home = input.settings.homeLocation;
  const fixedStops: RouteStop[] = busyTime({
    bookings: [],
    externalEvents: input.externalEvents,
    calendars: input.calendars,
    range: dayRange,
    zone,
  }).filter((b) => b.location !== null);

  const plan = new Map(input.appointments.map((a) => [a.bookingId, a]));
  const ids = [...plan.keys()].sort();
  const cost = () => routeTravelMs([...fixedStops, ...ordered(plan)], home, travel);
  const before = cost();
  const moves: Array<{
    bookingId: string;
    from: number;
    to: number;
    saved: number;
    explanation: string;
  }> = [];

  for (let round = 0; round < (input.maxMoves ?? 10); round++) {
    const current = cost();
    let best: { bookingId: string; start: number; cost: number } | null = null;
    for (const id of ids) {
      const appointment = plan.get(id) as MovableAppointment;
      if (!appointment.movable || appointment.start <= input.now) continue;
      for (const start of candidateStarts(appointment, plan, dayRange, input)) {
        if (start === appointment.start) continue;
        plan.set(id, moved(appointment, start));
        const candidate = cost();
        plan.set(id, appointment);
        if (candidate < current && (!best || candidate < best.cost))
          best = { bookingId: id, start, cost: candidate };
      }
    }
    if (!best) break;
    const appointment = plan.get(best.bookingId) as MovableAppointment;
    plan.set(best.bookingId, moved(appointment, best.start));
    moves.push({
      bookingId: best.bookingId,
      from: appointment.start,
      to: best.start,
      saved: current - best.cost,
      explanation: explain(
        appointment,
        best.start,
        plan,
        current,
        best.cost,
        input.settings.timeZone,
      ),
    });
  }

  return {
    proposals: proposalsOf(moves, input.appointments),
    travelBeforeMinutes: before / MS_PER_MINUTE,
    travelAfterMinutes: cost() / MS_PER_MINUTE,
  };
}

function moved(appointment: MovableAppointment, start: number): MovableAppointment {
  return { ...appointment, start, end: start + (appointment.end - appointment.start) };
}

function ordered(plan: ReadonlyMap<string, MovableAppointment>): MovableAppointment[] {
  return [...plan.values()].sort(
    (a, b) => a.start - b.start || (a.bookingId < b.bookingId ? -1 : 1),
  );
}

/** Starts the rules allow for this appointment, with every other one where it is now. */
function candidateStarts(
  appointment: MovableAppointment,
  plan: ReadonlyMap<string, MovableAppointment>,
  day: Interval,
  input: OptimiseDayInput,
): number[] {
  const allowed = appointment.allowedWindow ?? day;
  const range = { start: Math.max(day.start, allowed.start), end: Math.min(day.end, allowed.end) };
  if (range.end <= range.start) return [];
  const context = proContext({
    ...input,
    settings: {
      ...input.settings,
      services: [
        {
          serviceId: appointment.serviceId,
          durationMinutes: (appointment.end - appointment.start) / MS_PER_MINUTE,
          bufferBeforeMinutes: appointment.bufferBeforeMinutes,
          bufferAfterMinutes: appointment.bufferAfterMinutes,
        },
      ],
    },
    serviceId: appointment.serviceId,
    range,
    bookings: [...plan.values()].filter((a) => a.bookingId !== appointment.bookingId),
    clientLocation: appointment.location,
  });
  return slotsOf(context, allowedStarts(context)).map((s) => s.start);
}

function explain(
  appointment: MovableAppointment,
  to: number,
  plan: ReadonlyMap<string, MovableAppointment>,
  before: number,
  after: number,
  timeZone: string,
): string {
  const located = ordered(plan).filter((a) => a.location !== null);
  const index = located.findIndex((a) => a.bookingId === appointment.bookingId);
  const previous = located[index - 1]?.bookingId ?? 'home';
  const next = located[index + 1]?.bookingId ?? 'home';
  const time = (t: number) => toLocalIso(t, timeZone).slice(11, 16);
  return (
    `move ${appointment.bookingId} from ${time(appointment.start)} to ${time(to)}, between ${previous} and ${next}: ` +
    `the day's travel drops from ${before / MS_PER_MINUTE} to ${after / MS_PER_MINUTE} min`
  );
}

/** One proposal per appointment, from where it is now to where the search left it. */
function proposalsOf(
  moves: ReadonlyArray<{
    bookingId: string;
    from: number;
    to: number;
    saved: number;
    explanation: string;
  }>,
  appointments: readonly MovableAppointment[],
): MoveProposal[] {
  const original = new Map(appointments.map((a) => [a.bookingId, a.start]));
  const byId = new Map<string, MoveProposal>();
  for (const move of moves) {
    const earlier = byId.get(move.bookingId);
    byId.set(move.bookingId, {
      bookingId: move.bookingId,
      from: original.get(move.bookingId) as number,
      to: move.to,
      travelSavedMinutes: (earlier?.travelSavedMinutes ?? 0) + move.saved / MS_PER_MINUTE,
      explanation: earlier ? `${earlier.explanation}; then ${move.explanation}` : move.explanation,
    });
  }
  return [...byId.values()].filter((p) => p.from !== p.to);
}
