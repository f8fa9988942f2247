import { ConsistentRead } from '@cs/platform';
import { scheduleInputsProjection } from './schedule-inputs.projection';

/** A read of rows booking writes with its own events, honouring `If-Consistent-With`. */
export const ConsistentBookingRead = () => ConsistentRead({ ownEvents: true });

/**
 * A command that decides on booking's copy of the Pros' settings, absences and calendars: with
 * `If-Consistent-With` it waits for that copy first (a booking right after `PUT /v1/pros/{id}`).
 */
export const ConsistentScheduleInputs = () =>
  ConsistentRead({ projections: [scheduleInputsProjection], ownEvents: true });
