import type {
  EventData,
  waitlistJoined,
  waitlistOfferAccepted,
  waitlistOfferExpired,
  waitlistOfferMade,
} from '@cs/contracts';

export type WaitlistEvent =
  | { type: 'waitlist.joined'; data: EventData<typeof waitlistJoined> }
  | { type: 'waitlist.offer_made'; data: EventData<typeof waitlistOfferMade> }
  | { type: 'waitlist.offer_expired'; data: EventData<typeof waitlistOfferExpired> }
  | { type: 'waitlist.offer_accepted'; data: EventData<typeof waitlistOfferAccepted> };

/** A freed slot offered to the entry; instants are epoch milliseconds. */
export interface Offer {
  readonly offerId: string;
  readonly proId: string;
  readonly serviceId: string;
  readonly start: number;
  readonly end: number;
  readonly expiresAt: number;
  readonly status: 'open' | 'expired' | 'accepted';
}

export interface WaitlistRequest {
  readonly serviceId: string;
  readonly proId: string | null;
  readonly territoryId: string | null;
  readonly window: { readonly from: number; readonly to: number };
  readonly clientId: string;
}

export type WaitlistEntry =
  | { readonly status: 'none' }
  | {
      readonly status: 'waiting';
      readonly entryId: string;
      readonly request: WaitlistRequest;
      readonly offers: readonly Offer[];
    }
  | {
      readonly status: 'booked';
      readonly entryId: string;
      readonly request: WaitlistRequest;
      readonly offers: readonly Offer[];
      readonly bookingId: string;
    };

export const initialEntry = (): WaitlistEntry => ({ status: 'none' });

export const waitlistStreamId = (entryId: string) => `waitlist-${entryId}`;

const ms = (instant: string) => Date.parse(instant);

function withOffer(
  state: WaitlistEntry,
  offerId: string,
  status: Offer['status'],
): readonly Offer[] {
  if (state.status === 'none') return [];
  return state.offers.map((o) => (o.offerId === offerId ? { ...o, status } : o));
}

export function evolve(state: WaitlistEntry, event: WaitlistEvent): WaitlistEntry {
  switch (event.type) {
    case 'waitlist.joined': {
      const { entryId, window, ...request } = event.data;
      return {
        status: 'waiting',
        entryId,
        request: { ...request, window: { from: ms(window.from), to: ms(window.to) } },
        offers: [],
      };
    }
    case 'waitlist.offer_made': {
      if (state.status !== 'waiting') return state;
      const { entryId: _entryId, start, end, expiresAt, ...offer } = event.data;
      const made: Offer = {
        ...offer,
        start: ms(start),
        end: ms(end),
        expiresAt: ms(expiresAt),
        status: 'open',
      };
      return { ...state, offers: [...state.offers, made] };
    }
    case 'waitlist.offer_expired':
      return state.status === 'waiting'
        ? { ...state, offers: withOffer(state, event.data.offerId, 'expired') }
        : state;
    case 'waitlist.offer_accepted':
      return state.status === 'waiting'
        ? {
            ...state,
            status: 'booked',
            offers: withOffer(state, event.data.offerId, 'accepted'),
            bookingId: event.data.bookingId,
          }
        : state;
    default: {
      const unknown: never = event;
      throw new Error(`unhandled waitlist event ${JSON.stringify(unknown)}`);
    }
  }
}

export function openOffer(state: WaitlistEntry): Offer | undefined {
  return state.status === 'none' ? undefined : state.offers.find((o) => o.status === 'open');
}
