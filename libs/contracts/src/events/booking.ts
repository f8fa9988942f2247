import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { contactDetails, personal } from '../personal-data';
import { geoPoint, id, instant } from './common';

const slot = { proId: id, serviceId: id, start: instant, end: instant };
/** v2: the client's contact details travel with the booking, sealed under the client's key. */
const clientRef = z.object({
  clientId: id,
  timeZone: z.string().nullable(),
  locale: z.string().nullable(),
  /** Absent when the request gave none. */
  contact: personal(contactDetails).optional(),
});
/**
 * v2: the address is the client's personal data, sealed like the contact details. v3: so are the
 * coordinates of the client's home (`point`), opened only where travel time is computed.
 */
const location = z
  .object({ point: personal(geoPoint), address: personal(z.string().max(500)).nullable() })
  .nullable();

interface V1Placement {
  location?: { address: string | null } | null;
}

interface V2Placement {
  location?: { lat: number; lng: number; address: unknown } | null;
}

/** v1 held the address in clear: it reads as written (docs/adr/0008). */
const personalDataInV2 = (data: unknown): unknown => {
  const v1 = data as V1Placement;
  return {
    ...v1,
    ...(v1.location
      ? {
          location: {
            ...v1.location,
            address: v1.location.address === null ? null : { clear: v1.location.address },
          },
        }
      : {}),
  };
};
/** v2 held the coordinates in clear: they read as written, like a v1 address. */
const coordinatesInV3 = (data: unknown): unknown => {
  const v2 = data as V2Placement;
  if (!v2.location) return v2;
  const { lat, lng, address } = v2.location;
  return { ...v2, location: { point: { clear: { lat, lng } }, address } };
};

/** Every upcaster of the booking events that carry a location. */
const placementUpcasters = { 1: personalDataInV2, 2: coordinatesInV3 };

const bufferMinutes = {
  bufferBeforeMinutes: z.number().int().min(0),
  bufferAfterMinutes: z.number().int().min(0),
};
const priority = z.enum(['normal', 'emergency']);
const override = z.object({ reason: z.string().min(1).max(500) }).nullable();
/** Added after v1 as optional fields, so events recorded before them still parse. */
const bookingContext = {
  /** Every Pro of a group booking; each Pro's stream records its own part. */
  proIds: z.array(id).optional(),
  seriesId: id.nullable().optional(),
  packageId: id.nullable().optional(),
  allowAutoReschedule: z.boolean().optional(),
};

export const bookingHeld = defineEvent({
  type: 'booking.held',
  context: 'booking',
  schemaVersion: 3,
  upcasters: placementUpcasters,
  schema: z.object({
    bookingId: id,
    ...slot,
    ...bufferMinutes,
    client: clientRef,
    location,
    priority,
    holdExpiresAt: instant,
    override: override.optional(),
    ...bookingContext,
  }),
  proIdOf: (data) => data.proId,
});

export const bookingConfirmed = defineEvent({
  type: 'booking.confirmed',
  context: 'booking',
  schemaVersion: 3,
  upcasters: placementUpcasters,
  schema: z.object({
    bookingId: id,
    ...slot,
    ...bufferMinutes,
    client: clientRef,
    location,
    priority,
    override,
    ...bookingContext,
  }),
  proIdOf: (data) => data.proId,
});

export const bookingRescheduled = defineEvent({
  type: 'booking.rescheduled',
  context: 'booking',
  schemaVersion: 3,
  upcasters: placementUpcasters,
  schema: z.object({
    bookingId: id,
    ...slot,
    previous: z.object(slot),
    /** What the new Pro's schedule needs to know when the booking moves to another Pro. */
    bufferBeforeMinutes: bufferMinutes.bufferBeforeMinutes.optional(),
    bufferAfterMinutes: bufferMinutes.bufferAfterMinutes.optional(),
    client: clientRef.optional(),
    location: location.optional(),
    priority: priority.optional(),
    /** Set when the system moved the booking itself after a conflict the client allowed it to solve. */
    automatic: z.boolean().optional(),
  }),
  proIdOf: (data) => data.proId,
});

export const bookingCancelled = defineEvent({
  type: 'booking.cancelled',
  context: 'booking',
  schemaVersion: 1,
  schema: z.object({ bookingId: id, proId: id, reason: z.string().max(500) }),
  proIdOf: (data) => data.proId,
});

export const bookingHoldExpired = defineEvent({
  type: 'booking.hold_expired',
  context: 'booking',
  schemaVersion: 1,
  schema: z.object({ bookingId: id, proId: id }),
  proIdOf: (data) => data.proId,
});

export const bookingConflictDetected = defineEvent({
  type: 'booking.conflict_detected',
  context: 'booking',
  schemaVersion: 1,
  schema: z.object({
    bookingId: id,
    proId: id,
    calendarId: id,
    eventUid: z.string(),
    alternatives: z.array(z.object({ start: instant, end: instant, proIds: z.array(id) })),
    resolution: z.enum(['auto_reschedule', 'needs_person']),
  }),
  proIdOf: (data) => data.proId,
});

const offeredSlot = { offerId: id, ...slot, expiresAt: instant };

/** A client waits for a slot of a service with a Pro, or with any Pro of a territory, within a window. */
export const waitlistJoined = defineEvent({
  type: 'waitlist.joined',
  context: 'booking',
  schemaVersion: 1,
  schema: z.object({
    entryId: id,
    serviceId: id,
    proId: id.nullable(),
    territoryId: id.nullable(),
    window: z.object({ from: instant, to: instant }),
    clientId: id,
  }),
  proIdOf: (data) => data.proId ?? undefined,
});

/** A freed slot offered to the first in line until `expiresAt`. */
export const waitlistOfferMade = defineEvent({
  type: 'waitlist.offer_made',
  context: 'booking',
  schemaVersion: 1,
  schema: z.object({ entryId: id, ...offeredSlot }),
  proIdOf: (data) => data.proId,
});

/** The offer ran out unanswered; the slot moves on to the next in line. */
export const waitlistOfferExpired = defineEvent({
  type: 'waitlist.offer_expired',
  context: 'booking',
  schemaVersion: 1,
  schema: z.object({ entryId: id, offerId: id, proId: id }),
  proIdOf: (data) => data.proId,
});

export const waitlistOfferAccepted = defineEvent({
  type: 'waitlist.offer_accepted',
  context: 'booking',
  schemaVersion: 1,
  schema: z.object({ entryId: id, offerId: id, proId: id, bookingId: id }),
  proIdOf: (data) => data.proId,
});

export const bookingEvents = [
  bookingHeld,
  bookingConfirmed,
  bookingRescheduled,
  bookingCancelled,
  bookingHoldExpired,
  bookingConflictDetected,
  waitlistJoined,
  waitlistOfferMade,
  waitlistOfferExpired,
  waitlistOfferAccepted,
];
