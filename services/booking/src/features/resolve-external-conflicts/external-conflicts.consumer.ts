import {
  type Clock,
  type ConsumerDefinition,
  type EventStore,
  type PersonalData,
} from '@cs/eventing';
import { roughSpan } from '@cs/scheduling';
import { bookingsInConflict } from '../../domain/conflicts/external-conflicts';
import { type ScheduleInputs } from '../../domain/pro-schedule/placement';
import { externalEvent } from '../../infrastructure/schedule-inputs';
import { type StoredExternalEvent } from '../../infrastructure/schedule-inputs.projection';
import { type ScheduleCache } from '../../infrastructure/schedule-cache';
import { ScheduleTransaction } from '../../infrastructure/schedule-transaction';
import { BatchFolds } from './batch-folds';

/** The inputs as the projection has them, with this event in them whether or not it has caught up. */
function withEvent(
  inputs: ScheduleInputs,
  event: ReturnType<typeof externalEvent>,
): ScheduleInputs {
  const same = (e: typeof event) =>
    e.calendarId === event.calendarId &&
    e.eventUid === event.eventUid &&
    e.recurrenceId === event.recurrenceId;
  return { ...inputs, externalEvents: [...inputs.externalEvents.filter((e) => !same(e)), event] };
}

/**
 * Conflicts from outside (docs/design.md §4): when the sync stream reports an external event in the way of
 * a confirmed booking, the Pro's schedule records `booking.conflict_detected` with alternatives and,
 * where the client allowed it, moves the booking itself. Runs in the transaction that marks the
 * event applied, so a redelivery finds the conflict already recorded.
 */
export const externalConflictsConsumer = (
  store: () => EventStore,
  personal: () => PersonalData,
  clock: Clock,
  cache: ScheduleCache,
): ConsumerDefinition => {
  const folds = new BatchFolds(cache);
  return {
    name: 'booking-external-conflicts',
    stream: 'sync',
    async handleEvent({ envelope }, tx) {
      if (envelope.type !== 'calendar.event_upserted') return;
      const stored = envelope.data as StoredExternalEvent;
      if (stored.bookingId !== null) return;
      const now = clock.now().getTime();
      const schedules = new ScheduleTransaction(tx, store(), now, personal(), folds);
      await resolveConflicts(schedules, stored.proId, externalEvent(stored));
      // Within the transaction, the next event of the Pro goes on from this fold.
      schedules.committed();
    },
    settled: (committed) => folds.settle(committed),
  };
};

async function resolveConflicts(
  schedules: ScheduleTransaction,
  proId: string,
  event: ReturnType<typeof externalEvent>,
): Promise<void> {
  const settings = await schedules.inputs(proId, roughSpan(event.start, event.end).start);
  if (!settings) return;
  const schedule = await schedules.schedule(proId);
  const found = bookingsInConflict(schedule, event, withEvent(settings, event), schedules.now);
  for (const booking of found) {
    const inputs = await schedules.inputs(proId, booking.start);
    await schedules.execute(proId, {
      type: 'resolve_conflict',
      bookingId: booking.bookingId,
      calendarId: event.calendarId,
      eventUid: event.eventUid,
      inputs: withEvent(inputs!, event),
      now: schedules.now,
    });
  }
}
