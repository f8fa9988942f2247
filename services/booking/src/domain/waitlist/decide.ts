import { RuleViolation } from '@cs/contracts';
import { WaitlistConflict } from './errors';
import {
  type WaitlistEntry,
  type WaitlistEvent,
  type WaitlistRequest,
  evolve,
  initialEntry,
  openOffer,
} from './waitlist-entry';

export interface SlotOffer {
  readonly offerId: string;
  readonly proId: string;
  readonly serviceId: string;
  readonly start: number;
  readonly end: number;
  readonly expiresAt: number;
}

export type WaitlistCommand =
  | { type: 'join'; entryId: string; request: WaitlistRequest; now: number }
  | { type: 'offer'; entryId: string; offer: SlotOffer; now: number }
  | { type: 'expire_offer'; entryId: string; offerId: string; now: number }
  | { type: 'accept'; entryId: string; offerId: string; bookingId: string; now: number };

const iso = (ms: number) => new Date(ms).toISOString();

/** Whether the entry would take this slot: its service, its Pro (or territory), inside its window. */
export function wants(state: WaitlistEntry, offer: Omit<SlotOffer, 'offerId' | 'expiresAt'>) {
  if (state.status !== 'waiting') return false;
  const { request } = state;
  return (
    request.serviceId === offer.serviceId &&
    (request.proId === null || request.proId === offer.proId) &&
    request.window.from <= offer.start &&
    offer.end <= request.window.to &&
    !state.offers.some((o) => o.proId === offer.proId && o.start === offer.start)
  );
}

export function decide(command: WaitlistCommand, state: WaitlistEntry): WaitlistEvent[] {
  switch (command.type) {
    case 'join': {
      const { entryId, request, now } = command;
      if (state.status !== 'none')
        throw new WaitlistConflict(entryId, 'duplicate', 'the entry exists');
      if ((request.proId === null) === (request.territoryId === null)) {
        throw new RuleViolation([
          { field: 'proId', message: 'give exactly one of proId and territoryId' },
        ]);
      }
      if (request.window.to <= request.window.from) {
        throw new RuleViolation([
          { field: 'window.to', message: 'the window ends before it starts' },
        ]);
      }
      if (request.window.to <= now) {
        throw new RuleViolation([{ field: 'window.to', message: 'the window is over' }]);
      }
      return [
        {
          type: 'waitlist.joined',
          data: {
            entryId,
            ...request,
            window: { from: iso(request.window.from), to: iso(request.window.to) },
          },
        },
      ];
    }
    case 'offer': {
      const { entryId, offer } = command;
      if (openOffer(state) || !wants(state, offer)) return [];
      return [
        {
          type: 'waitlist.offer_made',
          data: {
            entryId,
            ...offer,
            start: iso(offer.start),
            end: iso(offer.end),
            expiresAt: iso(offer.expiresAt),
          },
        },
      ];
    }
    case 'expire_offer': {
      const open = openOffer(state);
      if (!open || open.offerId !== command.offerId || open.expiresAt > command.now) return [];
      return [
        {
          type: 'waitlist.offer_expired',
          data: { entryId: command.entryId, offerId: open.offerId, proId: open.proId },
        },
      ];
    }
    case 'accept': {
      const { entryId, offerId, bookingId, now } = command;
      if (state.status !== 'waiting') {
        throw new WaitlistConflict(entryId, 'not-waiting', `the entry is ${state.status}`);
      }
      const offer = state.offers.find((o) => o.offerId === offerId);
      if (!offer) throw new WaitlistConflict(entryId, 'offer-unknown', `no offer ${offerId}`);
      if (offer.status !== 'open' || offer.expiresAt <= now) {
        throw new WaitlistConflict(entryId, 'offer-expired', 'the offer has expired');
      }
      return [
        {
          type: 'waitlist.offer_accepted',
          data: { entryId, offerId, proId: offer.proId, bookingId },
        },
      ];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unhandled waitlist command ${JSON.stringify(unknown)}`);
    }
  }
}

export const waitlistDecider = { initialState: initialEntry, evolve, decide };
