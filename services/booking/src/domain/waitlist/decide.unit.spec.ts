import { RuleViolation } from '@cs/contracts';
import { deciderSpec } from '@cs/testing';
import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import { MIN, iso, t } from '../../../test/support/domain-fixtures';
import { type WaitlistCommand, decide, waitlistDecider } from './decide';
import { WaitlistConflict } from './errors';
import { type WaitlistEvent, evolve, initialEntry, openOffer } from './waitlist-entry';

const spec = deciderSpec(waitlistDecider);
const now = t('07:00');

const request = {
  serviceId: 'wound-care',
  proId: 'p-1',
  territoryId: null,
  window: { from: t('08:00'), to: t('12:00') },
  clientId: 'c-1',
};
const joined: WaitlistEvent = {
  type: 'waitlist.joined',
  data: {
    entryId: 'e-1',
    ...request,
    window: { from: iso(request.window.from), to: iso(request.window.to) },
  },
};
const offerAt = (offerId: string, start: number, serviceId = 'wound-care'): WaitlistCommand => ({
  type: 'offer',
  entryId: 'e-1',
  offer: {
    offerId,
    proId: 'p-1',
    serviceId,
    start,
    end: start + 45 * MIN,
    expiresAt: now + 15 * MIN,
  },
  now,
});
const offer = (offerId: string, time: string) => offerAt(offerId, t(time));
const made = (offerId: string, time: string): WaitlistEvent => ({
  type: 'waitlist.offer_made',
  data: {
    entryId: 'e-1',
    offerId,
    proId: 'p-1',
    serviceId: 'wound-care',
    start: iso(t(time)),
    end: iso(t(time) + 45 * MIN),
    expiresAt: iso(now + 15 * MIN),
  },
});
const expired = (offerId: string): WaitlistEvent => ({
  type: 'waitlist.offer_expired',
  data: { entryId: 'e-1', offerId, proId: 'p-1' },
});

describe('waitlist entry', () => {
  it('joins with a window that is still ahead, and refuses a reversed one', () => {
    spec.given([]).when({ type: 'join', entryId: 'e-1', request, now }).then([joined]);
    spec
      .given([])
      .when({
        type: 'join',
        entryId: 'e-1',
        request: { ...request, window: { from: t('12:00'), to: t('08:00') } },
        now,
      })
      .thenThrows(RuleViolation);
    spec
      .given([joined])
      .when({ type: 'join', entryId: 'e-1', request, now })
      .thenThrows(WaitlistConflict);
  });

  it('takes an offer of a slot it wants, one at a time, and never the same slot twice', () => {
    spec
      .given([joined])
      .when(offer('o-1', '09:00'))
      .then([made('o-1', '09:00')]);
    spec
      .given([joined, made('o-1', '09:00')])
      .when(offer('o-2', '10:00'))
      .then([]);
    spec
      .given([joined, made('o-1', '09:00'), expired('o-1')])
      .when(offer('o-2', '09:00'))
      .then([]);
    spec.given([joined]).when(offer('o-1', '11:30')).then([]);
    spec
      .given([joined])
      .when(offerAt('o-1', t('09:00'), 'bathing'))
      .then([]);
  });

  it('expires an open offer at its time, and accepts one only before', () => {
    const given = [joined, made('o-1', '09:00')];
    spec.given(given).when({ type: 'expire_offer', entryId: 'e-1', offerId: 'o-1', now }).then([]);
    const late = now + 15 * MIN;
    spec
      .given(given)
      .when({ type: 'expire_offer', entryId: 'e-1', offerId: 'o-1', now: late })
      .then([expired('o-1')]);
    spec
      .given(given)
      .when({ type: 'accept', entryId: 'e-1', offerId: 'o-1', bookingId: 'b-1', now })
      .then([
        {
          type: 'waitlist.offer_accepted',
          data: { entryId: 'e-1', offerId: 'o-1', proId: 'p-1', bookingId: 'b-1' },
        },
      ]);
    spec
      .given(given)
      .when({ type: 'accept', entryId: 'e-1', offerId: 'o-1', bookingId: 'b-1', now: late })
      .thenThrows(/expired/);
    spec
      .given([...given, expired('o-1')])
      .when({ type: 'accept', entryId: 'e-1', offerId: 'o-1', bookingId: 'b-1', now })
      .thenThrows(/expired/);
    spec
      .given(given)
      .when({ type: 'accept', entryId: 'e-1', offerId: 'o-9', bookingId: 'b-1', now })
      .thenThrows(WaitlistConflict);
  });

  it('never has two open offers, whatever the order of commands', () => {
    const command = fc.oneof(
      fc.record({ kind: fc.constant('offer' as const), quarter: fc.integer({ min: 0, max: 15 }) }),
      fc.record({ kind: fc.constant('expire' as const), late: fc.boolean() }),
      fc.record({ kind: fc.constant('accept' as const), late: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.array(command, { maxLength: 20 }), (commands) => {
        let state = evolve(initialEntry(), joined);
        let n = 0;
        for (const c of commands) {
          const open = openOffer(state);
          const at = c.kind !== 'offer' && c.late ? now + 60 * MIN : now;
          const next: WaitlistCommand =
            c.kind === 'offer'
              ? offerAt(`o-${n++}`, t('08:00') + c.quarter * 15 * MIN)
              : c.kind === 'expire'
                ? {
                    type: 'expire_offer',
                    entryId: 'e-1',
                    offerId: open?.offerId ?? 'none',
                    now: at,
                  }
                : {
                    type: 'accept',
                    entryId: 'e-1',
                    offerId: open?.offerId ?? 'none',
                    bookingId: 'b',
                    now: at,
                  };
          try {
            state = decide(next, state).reduce(evolve, state);
          } catch (error) {
            expect(error).toBeInstanceOf(WaitlistConflict);
          }
          if (state.status !== 'none')
            expect(state.offers.filter((o) => o.status === 'open').length).toBeLessThanOrEqual(1);
        }
      }),
    );
  });
});
