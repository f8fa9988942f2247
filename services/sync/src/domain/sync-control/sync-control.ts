import type { connectionSyncControlled, EventData } from '@cs/contracts';

type Controlled = EventData<typeof connectionSyncControlled>;

export type SyncControlEvent = { type: 'calendar.sync_controlled'; data: Controlled };

/** Whether the Pro paused a connection's sync by hand (docs/design.md §5). */
export interface SyncControl {
  paused: boolean;
}

export interface ControlSync {
  type: 'control';
  proId: string;
  connectionId: string;
  action: Controlled['action'];
}

export const initialSyncControl = (): SyncControl => ({ paused: false });

export function evolve(state: SyncControl, { data }: SyncControlEvent): SyncControl {
  if (data.action === 'paused') return { paused: true };
  if (data.action === 'resumed') return { paused: false };
  return state;
}

/**
 * Pausing a paused connection changes nothing, so records nothing. Resuming always counts: it
 * also tries again a calendar waiting for sign-in, paused or not.
 */
export function decide(command: ControlSync, state: SyncControl): SyncControlEvent[] {
  if (command.action === 'paused' && state.paused) return [];
  const { proId, connectionId, action } = command;
  return [{ type: 'calendar.sync_controlled', data: { proId, connectionId, action } }];
}

export const syncControlDecider = { initialState: initialSyncControl, evolve, decide };
