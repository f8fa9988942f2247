import { RuleViolation } from '@cs/contracts';
import { type PersonalData } from '@cs/eventing';
import { type BookingDetails } from '../../infrastructure/booking-details';
import { type ScheduleTransaction } from '../../infrastructure/schedule-transaction';
import { SlotUnavailable } from '../../domain/pro-schedule/errors';
import { type GroupMember, groupAlternatives } from '../../domain/pro-schedule/group';
import { withPlace } from '../../domain/pro-schedule/placement';
import { type BookingRequestBody, proIdsOf } from './booking-request';

export interface Reservation {
  bookingId: string;
  start: number;
  holdUntil: number | null;
  seriesId: string | null;
  packageId: string | null;
}

export function detailsOf(body: BookingRequestBody): BookingDetails {
  return {
    client: body.client,
    location: body.location,
    flexibility: body.flexibility,
    override: body.override,
  };
}

/** The client's contact details and place as the events carry them: sealed under the client's key. */
async function sealClientData(
  personal: PersonalData,
  schedules: ScheduleTransaction,
  body: BookingRequestBody,
) {
  const client = { kind: 'client' as const, id: body.client.clientId };
  const { name, email, phone } = body.client;
  const given = {
    ...(name ? { name } : {}),
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
  };
  const location = body.location;
  return {
    contact:
      Object.keys(given).length > 0 ? await personal.seal(schedules.tx, client, given) : undefined,
    location: location
      ? {
          point: await personal.seal(schedules.tx, client, {
            lat: location.lat,
            lng: location.lng,
          }),
          address: location.address
            ? await personal.seal(schedules.tx, client, location.address)
            : null,
        }
      : null,
  };
}

/**
 * Books one appointment with every Pro it names, in the caller's transaction: all Pros or none.
 * A group that cannot meet is offered the nearest slots at which all its Pros are free.
 */
export async function reserveBooking(
  schedules: ScheduleTransaction,
  body: BookingRequestBody,
  reservation: Reservation,
  personal: PersonalData,
): Promise<void> {
  const proIds = proIdsOf(body);
  await schedules.lock(proIds);
  schedules.describe(reservation.bookingId, detailsOf(body));
  const sealed = await sealClientData(personal, schedules, body);
  const members: GroupMember[] = [];
  for (const proId of proIds) {
    const inputs = await schedules.inputs(proId, reservation.start);
    if (!inputs) {
      throw new RuleViolation([
        {
          field: body.proIds ? 'proIds' : 'proId',
          message: `no availability settings for Pro ${proId}`,
        },
      ]);
    }
    const place = body.location ? { lat: body.location.lat, lng: body.location.lng } : null;
    members.push({
      proId,
      schedule: await schedules.schedule(proId),
      inputs: withPlace(inputs, reservation.bookingId, place),
    });
  }
  try {
    for (const { proId, inputs } of members) {
      await schedules.execute(proId, {
        type: 'reserve',
        booking: {
          bookingId: reservation.bookingId,
          proId,
          serviceId: body.serviceId,
          start: reservation.start,
          client: {
            clientId: body.client.clientId,
            timeZone: body.client.timeZone ?? null,
            locale: body.client.locale ?? null,
            ...(sealed.contact ? { contact: sealed.contact } : {}),
          },
          location: sealed.location,
          priority: body.priority,
          override: body.override,
          proIds,
          seriesId: reservation.seriesId,
          packageId: reservation.packageId,
          allowAutoReschedule: body.flexibility.allowAutoReschedule,
        },
        holdUntil: reservation.holdUntil,
        inputs,
        now: schedules.now,
      });
    }
  } catch (error) {
    if (!(error instanceof SlotUnavailable) || members.length === 1) throw error;
    const request = {
      serviceId: body.serviceId,
      start: reservation.start,
      emergency: body.priority === 'emergency',
      override: false,
      location: body.location,
    };
    throw new SlotUnavailable(
      error.proId,
      error.start,
      groupAlternatives(members, request, schedules.now, reservation.bookingId),
    );
  }
}
