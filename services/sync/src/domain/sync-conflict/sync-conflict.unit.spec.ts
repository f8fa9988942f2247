import { describe, it } from '@jest/globals';
import { deciderSpec } from '@cs/testing';
import {
  ConflictAlreadyResolved,
  ConflictNotRecorded,
  type SyncConflictEvent,
  syncConflictDecider,
} from './sync-conflict';

const spec = deciderSpec(syncConflictDecider);
const theirs = { start: '2031-06-02T10:00:00.000Z', end: '2031-06-02T11:00:00.000Z' };
const recorded: SyncConflictEvent = {
  type: 'calendar.sync_conflict_recorded',
  data: {
    conflictId: 'k-1',
    proId: 'p-1',
    bookingId: 'b-1',
    calendarId: 'c-1',
    eventUid: 'uid-1',
    kind: 'moved',
    theirs,
    policy: 'reschedule_request',
  },
};
const resolved = (keep: 'ours' | 'theirs'): SyncConflictEvent => ({
  type: 'calendar.sync_conflict_resolved',
  data: { conflictId: 'k-1', proId: 'p-1', bookingId: 'b-1', keep, theirs },
});

describe('sync conflict', () => {
  it('settles an open conflict with the side the Pro keeps', () => {
    spec
      .given([recorded])
      .when({ type: 'resolve', keep: 'theirs' })
      .then([resolved('theirs')]);
    spec
      .given([recorded])
      .when({ type: 'resolve', keep: 'ours' })
      .then([resolved('ours')]);
  });

  it('refuses a second answer, whichever side it keeps', () => {
    spec
      .given([recorded, resolved('ours')])
      .when({ type: 'resolve', keep: 'theirs' })
      .thenThrows(ConflictAlreadyResolved);
  });

  it('refuses to settle a conflict that was never recorded', () => {
    spec.given([]).when({ type: 'resolve', keep: 'ours' }).thenThrows(ConflictNotRecorded);
  });
});
