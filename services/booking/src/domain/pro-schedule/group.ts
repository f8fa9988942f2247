import { type GroupSlot, commonSlots } from '@cs/scheduling';
import {
  ALTERNATIVES,
  type PlacementRequest,
  type ScheduleInputs,
  appointmentsOf,
  nearestSlots,
} from './placement';
import { type ProSchedule, activeBookings } from './pro-schedule';

export interface GroupMember {
  readonly proId: string;
  readonly schedule: ProSchedule;
  readonly inputs: ScheduleInputs;
}

/** The nearest slots at which every Pro of a group is free, leaving out `except` (the booking being tried). */
export function groupAlternatives(
  members: readonly GroupMember[],
  request: PlacementRequest,
  now: number,
  except: string,
): GroupSlot[] {
  const pros = members.map((m) => ({
    proId: m.proId,
    slots: nearestSlots(
      request,
      m.inputs,
      appointmentsOf(
        activeBookings(m.schedule, now).filter((b) => b.bookingId !== except),
        m.inputs.places,
      ),
      now,
    ),
  }));
  return commonSlots(pros, members.length)
    .sort((a, b) => Math.abs(a.start - request.start) - Math.abs(b.start - request.start))
    .slice(0, ALTERNATIVES)
    .sort((a, b) => a.start - b.start);
}
