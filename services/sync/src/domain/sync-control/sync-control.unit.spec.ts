import { describe, it } from '@jest/globals';
import { deciderSpec } from '@cs/testing';
import { type ControlSync, type SyncControlEvent, syncControlDecider } from './sync-control';

const spec = deciderSpec(syncControlDecider);
type Action = ControlSync['action'];
const command = (action: Action): ControlSync => ({
  type: 'control',
  proId: 'p-1',
  connectionId: 'n-1',
  action,
});
const controlled = (action: Action): SyncControlEvent => ({
  type: 'calendar.sync_controlled',
  data: { proId: 'p-1', connectionId: 'n-1', action },
});

describe('sync control', () => {
  it('pauses a running connection', () => {
    spec
      .given([])
      .when(command('paused'))
      .then([controlled('paused')]);
    spec
      .given([controlled('paused'), controlled('resumed')])
      .when(command('paused'))
      .then([controlled('paused')]);
  });

  it('records nothing for a pause of a paused connection', () => {
    spec
      .given([controlled('paused')])
      .when(command('paused'))
      .then([]);
    spec
      .given([controlled('paused'), controlled('sync_requested')])
      .when(command('paused'))
      .then([]);
  });

  it('always records a resume: it also retries a calendar waiting for sign-in', () => {
    spec
      .given([])
      .when(command('resumed'))
      .then([controlled('resumed')]);
    spec
      .given([controlled('paused')])
      .when(command('resumed'))
      .then([controlled('resumed')]);
  });

  it.each(['sync_requested', 'full_resync_requested'] as const)(
    'records every %s, paused or not',
    (action) => {
      spec
        .given([])
        .when(command(action))
        .then([controlled(action)]);
      spec
        .given([controlled('paused')])
        .when(command(action))
        .then([controlled(action)]);
    },
  );
});
