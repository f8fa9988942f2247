import { describe, expect, it } from '@jest/globals';
import type { PushTargetRow } from '../../infrastructure/push-subscriptions/push-subscription-store';
import { sortGraphNotifications } from './graph-notifications';

const row = (calendarId: string, subscriptionId: string | null, opening = false) =>
  ({
    calendarId,
    providerSubscriptionId: subscriptionId,
    pendingChannelId: opening ? `ch-${calendarId}` : null,
  }) as PushTargetRow;
const secrets: Record<string, string> = { a: 'secret-a', b: 'secret-b', c: 'secret-c' };
const secretOf = (r: PushTargetRow) => secrets[r.calendarId] ?? null;

describe('sortGraphNotifications', () => {
  it('accepts the valid notifications of a batch and refuses the others, each with its reason', () => {
    // Given two stored subscriptions
    const rows = [row('a', 'sub-a'), row('b', 'sub-b')];
    // When a batch mixes a valid one, a wrong clientState, an unknown id and a missing clientState
    const sorted = sortGraphNotifications(
      [
        { subscriptionId: 'sub-a', clientState: 'secret-a' },
        { subscriptionId: 'sub-b', clientState: 'secret-a' },
        { subscriptionId: 'sub-x', clientState: 'secret-x' },
        { subscriptionId: 'sub-b', clientState: null },
      ],
      rows,
      secretOf,
    );
    // Then only the first is applied, to calendar a
    expect(sorted.accepted.map((a) => a.row.calendarId)).toEqual(['a']);
    expect(sorted.refused).toEqual([
      { index: 1, reason: 'wrong clientState' },
      { index: 2, reason: 'unknown subscription' },
      { index: 3, reason: 'wrong clientState' },
    ]);
  });

  it('recognises a subscription being opened by its secret before its id is stored', () => {
    // Given calendar c opening a subscription whose id Graph has not answered yet
    const rows = [row('a', 'sub-a'), row('c', null, true)];
    // When Graph notifies the new id with c's clientState, and another new id with a's
    const sorted = sortGraphNotifications(
      [
        { subscriptionId: 'sub-new', clientState: 'secret-c' },
        { subscriptionId: 'sub-other', clientState: 'secret-a' },
      ],
      rows,
      secretOf,
    );
    // Then the first goes to calendar c; the second matches no subscription being opened
    expect(sorted.accepted.map((a) => a.row.calendarId)).toEqual(['c']);
    expect(sorted.refused).toEqual([{ index: 1, reason: 'unknown subscription' }]);
  });

  it('never takes a stored subscription for one being opened', () => {
    // Given c opening a new subscription while its old id is still stored
    const rows = [row('c', 'sub-old', true)];
    // When the old id arrives with a wrong secret
    const sorted = sortGraphNotifications(
      [{ subscriptionId: 'sub-old', clientState: 'secret-a' }],
      rows,
      secretOf,
    );
    // Then it is refused as a wrong clientState
    expect(sorted.refused).toEqual([{ index: 0, reason: 'wrong clientState' }]);
  });
});
