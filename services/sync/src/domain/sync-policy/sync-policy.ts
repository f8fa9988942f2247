import type { EventData, mirroredEditPolicies, syncPolicySet } from '@cs/contracts';

export type EditPolicy = (typeof mirroredEditPolicies)[number];

export type SyncPolicyEvent = {
  type: 'calendar.sync_policy_set';
  data: EventData<typeof syncPolicySet>;
};

/** What a Pro's calendar edits to mirrored bookings mean; platform wins until they choose. */
export interface SyncPolicyState {
  mirroredEdits: EditPolicy;
}

export interface SetSyncPolicy {
  type: 'set';
  proId: string;
  mirroredEdits: EditPolicy;
}

export const initialSyncPolicy = (): SyncPolicyState => ({ mirroredEdits: 'platform_wins' });

export const evolve = (_state: SyncPolicyState, { data }: SyncPolicyEvent): SyncPolicyState => ({
  mirroredEdits: data.mirroredEdits,
});

/** Choosing the policy in force changes nothing, so records nothing. */
export function decide(command: SetSyncPolicy, state: SyncPolicyState): SyncPolicyEvent[] {
  if (command.mirroredEdits === state.mirroredEdits) return [];
  const { proId, mirroredEdits } = command;
  return [{ type: 'calendar.sync_policy_set', data: { proId, mirroredEdits } }];
}

export const syncPolicyDecider = { initialState: initialSyncPolicy, evolve, decide };
