import type {
  connectionAuthorized,
  connectionCalendarsChanged,
  connectionCreated,
  connectionReauthRequired,
  connectionRemoved,
  EventData,
} from '@cs/contracts';
import type { Provider } from '../provider/provider';

export type ConnectionCalendar = EventData<typeof connectionCalendarsChanged>['calendars'][number];

export type ConnectionEvent =
  | { type: 'connection.created'; data: EventData<typeof connectionCreated> }
  | { type: 'connection.authorized'; data: EventData<typeof connectionAuthorized> }
  | { type: 'connection.calendars_changed'; data: EventData<typeof connectionCalendarsChanged> }
  | { type: 'connection.reauth_required'; data: EventData<typeof connectionReauthRequired> }
  | { type: 'connection.removed'; data: EventData<typeof connectionRemoved> };

/** A Pro's connection to a calendar provider, as its stream tells it (docs/design.md §2.4). */
export type Connection =
  | { status: 'none' }
  | {
      status: 'pending_authorization' | 'active' | 'reauth_required' | 'removed';
      connectionId: string;
      proId: string;
      provider: Provider;
      calendars: ConnectionCalendar[];
    };

export type ConnectionCommand =
  | { type: 'authorize'; calendars: ConnectionCalendar[] }
  | { type: 'change_calendars'; calendars: ConnectionCalendar[] }
  | { type: 'require_reauth'; reason: string }
  | { type: 'remove' };

export class ConnectionNotFound extends Error {
  constructor() {
    super('no such connection');
    this.name = 'ConnectionNotFound';
  }
}

export class ConnectionNotPending extends Error {
  constructor() {
    super('the connection is no longer waiting for authorization');
    this.name = 'ConnectionNotPending';
  }
}

export class ConnectionRemoved extends Error {
  constructor() {
    super('the connection was removed');
    this.name = 'ConnectionRemoved';
  }
}

export const initialConnection = (): Connection => ({ status: 'none' });

export function evolve(state: Connection, event: ConnectionEvent): Connection {
  if (event.type === 'connection.created') {
    const { connectionId, proId, provider, status } = event.data;
    return { status, connectionId, proId, provider, calendars: [] };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'connection.authorized':
      return { ...state, status: 'active' };
    case 'connection.calendars_changed':
      return { ...state, calendars: event.data.calendars };
    case 'connection.reauth_required':
      return { ...state, status: 'reauth_required' };
    case 'connection.removed':
      return { ...state, status: 'removed' };
  }
}

export function decide(command: ConnectionCommand, state: Connection): ConnectionEvent[] {
  if (state.status === 'none') throw new ConnectionNotFound();
  const { connectionId, proId, provider } = state;
  switch (command.type) {
    case 'authorize':
      // The OAuth state is single-use, yet a second callback must not authorize twice.
      if (state.status !== 'pending_authorization') throw new ConnectionNotPending();
      return [
        { type: 'connection.authorized', data: { connectionId, proId, provider } },
        calendarsChanged(state, command.calendars),
      ];
    case 'change_calendars':
      if (state.status === 'removed') throw new ConnectionRemoved();
      return sameCalendars(state.calendars, command.calendars)
        ? []
        : [calendarsChanged(state, command.calendars)];
    case 'require_reauth':
      // A pending connection has no credentials to refuse, a removed one none left. The stream
      // does not record a calendar syncing again: the `connections` row marks the episode.
      if (state.status === 'pending_authorization' || state.status === 'removed') return [];
      return [
        {
          type: 'connection.reauth_required',
          data: { connectionId, proId, reason: command.reason },
        },
      ];
    case 'remove':
      return state.status === 'removed'
        ? []
        : [{ type: 'connection.removed', data: { connectionId, proId } }];
  }
}

function calendarsChanged(
  state: { connectionId: string; proId: string },
  calendars: ConnectionCalendar[],
): ConnectionEvent {
  return {
    type: 'connection.calendars_changed',
    data: { connectionId: state.connectionId, proId: state.proId, calendars },
  };
}

/** Field by field: calendars read back from the stream need not keep their keys' order. */
const sameCalendars = (a: ConnectionCalendar[], b: ConnectionCalendar[]) =>
  a.length === b.length &&
  a.every((calendar, i) =>
    (Object.keys({ ...calendar, ...b[i] }) as (keyof ConnectionCalendar)[]).every(
      (key) => (calendar[key] ?? null) === (b[i]![key] ?? null),
    ),
  );

export const connectionDecider = { initialState: initialConnection, evolve, decide };
