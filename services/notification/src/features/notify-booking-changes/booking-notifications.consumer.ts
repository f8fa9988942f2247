import {
  type bookingCancelled,
  type bookingConfirmed,
  type bookingConflictDetected,
  type bookingHeld,
  type bookingHoldExpired,
  type bookingRescheduled,
  type EventData,
} from '@cs/contracts';
import { type Clock, type ConsumerDefinition } from '@cs/eventing';
import { type PoolClient } from 'pg';
import { type KnownBooking, loadBooking, saveBooking } from '../../infrastructure/bookings';
import { type BookingSnapshot } from '../../infrastructure/delivery-queue/notification-content';
import { type DeliveryQueue } from '../../infrastructure/delivery-queue/delivery-queue';
import { scheduleConflictAlert } from '../alert-people/conflict-alert';
import { scheduleReminders, withdrawReminders } from '../remind-appointments/reminder-schedule';
import { bothParties, type BookingMessage, scheduleInvitations } from './invitations';

type Placed = EventData<typeof bookingConfirmed> | EventData<typeof bookingHeld>;

const clientContactOf = (contact: BookingSnapshot['clientContact']) =>
  contact ? { clientContact: contact } : {};

function snapshotOf(data: Placed, sequence: number): BookingSnapshot {
  return {
    bookingId: data.bookingId,
    proId: data.proId,
    clientId: data.client.clientId,
    clientTimeZone: data.client.timeZone,
    clientLocale: data.client.locale,
    serviceId: data.serviceId,
    start: data.start,
    end: data.end,
    location: data.location,
    ...clientContactOf(data.client.contact),
    sequence,
  };
}

/**
 * Turns booking events into messages: invitations (iTIP REQUEST), updates with a higher
 * SEQUENCE, cancellations (iTIP CANCEL), the client's reminders, and conflict alerts.
 */
export function bookingNotificationsConsumer(
  queue: DeliveryQueue,
  clock: Clock,
): ConsumerDefinition {
  /**
   * A group booking records one event per Pro. The first one tells everybody; each further
   * one is the same change seen by another Pro's schedule, so only that Pro is told, with the
   * SEQUENCE the others got.
   */
  const anotherPartOf = (
    known: KnownBooking | null,
    proId: string,
    at: { start: string; end: string },
  ) =>
    known !== null &&
    known.snapshot.proId !== proId &&
    Date.parse(known.snapshot.start) === Date.parse(at.start) &&
    Date.parse(known.snapshot.end) === Date.parse(at.end);

  const tellOnlyThePro = (tx: PoolClient, content: BookingMessage, proId: string) =>
    scheduleInvitations(tx, queue, content, clock.now(), [{ kind: 'pro', id: proId }]);

  async function confirmed(tx: PoolClient, data: Placed, occurredAt: string) {
    const known = await loadBooking(tx, data.bookingId);
    if (known?.status === 'confirmed' && anotherPartOf(known, data.proId, data))
      return tellOnlyThePro(
        tx,
        { template: 'invitation', booking: { ...known.snapshot, proId: data.proId } },
        data.proId,
      );
    const sequence = known?.status === 'confirmed' ? known.snapshot.sequence + 1 : 0;
    const booking: KnownBooking = { snapshot: snapshotOf(data, sequence), status: 'confirmed' };
    await saveBooking(tx, booking, occurredAt);
    await scheduleInvitations(
      tx,
      queue,
      { template: 'invitation', booking: booking.snapshot },
      clock.now(),
      bothParties(booking.snapshot),
    );
    await scheduleReminders(tx, queue, booking.snapshot, Date.parse(occurredAt));
  }

  async function rescheduled(
    tx: PoolClient,
    data: EventData<typeof bookingRescheduled>,
    occurredAt: string,
  ) {
    const known = await loadBooking(tx, data.bookingId);
    if (!known && !data.client) return;
    if (
      known?.status === 'confirmed' &&
      data.previous.proId === data.proId &&
      anotherPartOf(known, data.proId, data)
    )
      return tellOnlyThePro(
        tx,
        {
          template: 'update',
          booking: { ...known.snapshot, proId: data.proId },
          previousStart: data.previous.start,
          automatic: data.automatic ?? false,
        },
        data.proId,
      );
    const previous = known?.snapshot;
    const snapshot: BookingSnapshot = {
      bookingId: data.bookingId,
      proId: data.proId,
      clientId: data.client?.clientId ?? previous?.clientId ?? null,
      clientTimeZone: data.client?.timeZone ?? previous?.clientTimeZone ?? null,
      clientLocale: data.client?.locale ?? previous?.clientLocale ?? null,
      serviceId: data.serviceId,
      start: data.start,
      end: data.end,
      location: data.location !== undefined ? data.location : (previous?.location ?? null),
      ...clientContactOf(data.client?.contact ?? previous?.clientContact),
      sequence: (previous?.sequence ?? -1) + 1,
    };
    await saveBooking(tx, { snapshot, status: 'confirmed' }, occurredAt);
    await withdrawReminders(tx, queue, data.bookingId, 'booking_rescheduled');
    await scheduleInvitations(
      tx,
      queue,
      {
        template: 'update',
        booking: snapshot,
        previousStart: data.previous.start,
        automatic: data.automatic ?? false,
      },
      clock.now(),
      bothParties(snapshot),
    );
    if (data.previous.proId !== data.proId) {
      // The Pro who no longer has the appointment gets it removed from their calendar.
      await scheduleInvitations(
        tx,
        queue,
        {
          template: 'cancellation',
          booking: {
            ...snapshot,
            proId: data.previous.proId,
            start: data.previous.start,
            end: data.previous.end,
          },
          reason: 'reassigned',
        },
        clock.now(),
        [{ kind: 'pro', id: data.previous.proId }],
      );
    }
    await scheduleReminders(tx, queue, snapshot, Date.parse(occurredAt));
  }

  async function cancelled(
    tx: PoolClient,
    data: EventData<typeof bookingCancelled>,
    occurredAt: string,
  ) {
    const known = await loadBooking(tx, data.bookingId);
    await withdrawReminders(tx, queue, data.bookingId, 'booking_cancelled');
    if (known?.status === 'cancelled' && known.snapshot.proId !== data.proId)
      return tellOnlyThePro(
        tx,
        {
          template: 'cancellation',
          booking: { ...known.snapshot, proId: data.proId },
          reason: data.reason,
        },
        data.proId,
      );
    if (!known || known.status !== 'confirmed') return;
    const snapshot = { ...known.snapshot, sequence: known.snapshot.sequence + 1 };
    await saveBooking(tx, { snapshot, status: 'cancelled' }, occurredAt);
    await scheduleInvitations(
      tx,
      queue,
      { template: 'cancellation', booking: snapshot, reason: data.reason },
      clock.now(),
      bothParties(snapshot),
    );
  }

  return {
    name: 'notification-bookings',
    stream: 'booking',
    async handleEvent({ envelope }, tx) {
      switch (envelope.type) {
        case 'booking.held': {
          // Nobody is told about a hold; it is remembered so a later event can refer to it.
          const data = envelope.data as EventData<typeof bookingHeld>;
          const known = await loadBooking(tx, data.bookingId);
          if (!known)
            await saveBooking(
              tx,
              { snapshot: snapshotOf(data, 0), status: 'held' },
              envelope.occurredAt,
            );
          return;
        }
        case 'booking.confirmed':
          return confirmed(
            tx,
            envelope.data as EventData<typeof bookingConfirmed>,
            envelope.occurredAt,
          );
        case 'booking.rescheduled':
          return rescheduled(
            tx,
            envelope.data as EventData<typeof bookingRescheduled>,
            envelope.occurredAt,
          );
        case 'booking.cancelled':
          return cancelled(
            tx,
            envelope.data as EventData<typeof bookingCancelled>,
            envelope.occurredAt,
          );
        case 'booking.hold_expired': {
          const data = envelope.data as EventData<typeof bookingHoldExpired>;
          await tx.query(
            `UPDATE bookings SET status = 'expired', updated_at = $2 WHERE booking_id = $1 AND status = 'held'`,
            [data.bookingId, envelope.occurredAt],
          );
          return;
        }
        case 'booking.conflict_detected': {
          const data = envelope.data as EventData<typeof bookingConflictDetected>;
          if (data.resolution !== 'needs_person') return;
          const known = await loadBooking(tx, data.bookingId);
          if (known) await scheduleConflictAlert(tx, queue, known.snapshot, data, clock.now());
          return;
        }
      }
    },
  };
}
