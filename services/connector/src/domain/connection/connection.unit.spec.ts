import { describe, it } from '@jest/globals';
import { deciderSpec } from '@cs/testing';
import {
  type ConnectionCalendar,
  type ConnectionEvent,
  connectionDecider,
  ConnectionNotFound,
  ConnectionNotPending,
  ConnectionRemoved,
} from './connection';

const spec = deciderSpec(connectionDecider);
const ids = { connectionId: 'c-1', proId: 'p-1' };
const calendar: ConnectionCalendar = {
  calendarId: 'cal-1',
  name: 'Work',
  busySource: true,
  writeTarget: false,
  allDayBlocks: true,
  color: null,
  writable: true,
};
const created = (status: 'active' | 'pending_authorization'): ConnectionEvent => ({
  type: 'connection.created',
  data: { ...ids, provider: 'google', status },
});
const calendarsChanged = (calendars: ConnectionCalendar[]): ConnectionEvent => ({
  type: 'connection.calendars_changed',
  data: { ...ids, calendars },
});
const authorized: ConnectionEvent = {
  type: 'connection.authorized',
  data: { ...ids, provider: 'google' },
};
const removed: ConnectionEvent = { type: 'connection.removed', data: ids };
const reauthRequired: ConnectionEvent = {
  type: 'connection.reauth_required',
  data: { ...ids, reason: 'refused' },
};

describe('connection', () => {
  it('authorizes a pending connection with the calendars found behind it', () => {
    spec
      .given([created('pending_authorization')])
      .when({ type: 'authorize', calendars: [calendar] })
      .then([authorized, calendarsChanged([calendar])]);
  });

  it('authorizes a connection once', () => {
    spec
      .given([created('pending_authorization'), authorized])
      .when({ type: 'authorize', calendars: [calendar] })
      .thenThrows(ConnectionNotPending);
    spec
      .given([created('active')])
      .when({ type: 'authorize', calendars: [] })
      .thenThrows(ConnectionNotPending);
  });

  it('records changed calendars, and nothing when they are the same', () => {
    const changed = { ...calendar, writeTarget: true };
    spec
      .given([created('active'), calendarsChanged([calendar])])
      .when({ type: 'change_calendars', calendars: [changed] })
      .then([calendarsChanged([changed])]);
    const reordered = Object.fromEntries(Object.entries(calendar).reverse()) as ConnectionCalendar;
    spec
      .given([created('active'), calendarsChanged([calendar])])
      .when({ type: 'change_calendars', calendars: [reordered] })
      .then([]);
  });

  it('refuses to change the calendars of a removed connection', () => {
    spec
      .given([created('active'), removed])
      .when({ type: 'change_calendars', calendars: [calendar] })
      .thenThrows(ConnectionRemoved);
  });

  it('asks for consent again only where there are credentials to refuse', () => {
    const command = { type: 'require_reauth', reason: 'refused' } as const;
    spec
      .given([created('active')])
      .when(command)
      .then([reauthRequired]);
    spec
      .given([created('active'), reauthRequired])
      .when(command)
      .then([reauthRequired]);
    spec
      .given([created('pending_authorization')])
      .when(command)
      .then([]);
    spec
      .given([created('active'), removed])
      .when(command)
      .then([]);
  });

  it('removes a connection once', () => {
    spec
      .given([created('active')])
      .when({ type: 'remove' })
      .then([removed]);
    spec
      .given([created('active'), removed])
      .when({ type: 'remove' })
      .then([]);
  });

  it('knows no command on a connection never created', () => {
    spec.given([]).when({ type: 'remove' }).thenThrows(ConnectionNotFound);
  });
});
