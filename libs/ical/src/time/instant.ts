import { type IcalTime } from '../model';
import { type TimeZone, localToInstant } from './time-zone';

/** The instant an `IcalTime` stands for; dates and floating times are read in `viewerZone`. */
export function instantOf(time: IcalTime, viewerZone: TimeZone): number {
  return localToInstant(time.kind === 'zoned' ? time.zone : viewerZone, time.localMs);
}

/** The zone in which an event's wall-clock times (and so its recurrence) are meant. */
export function zoneOf(time: IcalTime, viewerZone: TimeZone): TimeZone {
  return time.kind === 'zoned' ? time.zone : viewerZone;
}
