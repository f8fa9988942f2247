import type { EventData, syncConflictRecorded, syncConflictResolved } from '@cs/contracts';

type Recorded = EventData<typeof syncConflictRecorded>;

export type SyncConflictEvent =
  | { type: 'calendar.sync_conflict_recorded'; data: Recorded }
  | { type: 'calendar.sync_conflict_resolved'; data: EventData<typeof syncConflictResolved> };

/** A Pro's edit to a mirrored booking that sync could not settle alone (docs/design.md §5). */
export type SyncConflict = { status: 'none' } | { status: 'open' | 'resolved'; recorded: Recorded };

export interface ResolveConflict {
  type: 'resolve';
  keep: 'ours' | 'theirs';
}

export class ConflictNotRecorded extends Error {
  constructor() {
    super('no such conflict');
    this.name = 'ConflictNotRecorded';
  }
}

export class ConflictAlreadyResolved extends Error {
  constructor() {
    super('this conflict is already resolved');
    this.name = 'ConflictAlreadyResolved';
  }
}

export const initialConflict = (): SyncConflict => ({ status: 'none' });

export function evolve(state: SyncConflict, event: SyncConflictEvent): SyncConflict {
  if (event.type === 'calendar.sync_conflict_recorded')
    return { status: 'open', recorded: event.data };
  return state.status === 'none' ? state : { ...state, status: 'resolved' };
}

/** A conflict is settled once; the second answer is refused, whichever it keeps. */
export function decide(command: ResolveConflict, state: SyncConflict): SyncConflictEvent[] {
  if (state.status === 'none') throw new ConflictNotRecorded();
  if (state.status === 'resolved') throw new ConflictAlreadyResolved();
  const { conflictId, proId, bookingId, theirs } = state.recorded;
  return [
    {
      type: 'calendar.sync_conflict_resolved',
      data: { conflictId, proId, bookingId, keep: command.keep, theirs },
    },
  ];
}

export const syncConflictDecider = { initialState: initialConflict, evolve, decide };
