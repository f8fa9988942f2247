import { describe, it } from '@jest/globals';
import { deciderSpec } from '@cs/testing';
import { type EditPolicy, type SyncPolicyEvent, syncPolicyDecider } from './sync-policy';

const spec = deciderSpec(syncPolicyDecider);
const set = (mirroredEdits: EditPolicy) => ({ type: 'set' as const, proId: 'p-1', mirroredEdits });
const policySet = (mirroredEdits: EditPolicy): SyncPolicyEvent => ({
  type: 'calendar.sync_policy_set',
  data: { proId: 'p-1', mirroredEdits },
});

describe('sync policy', () => {
  it('records a change of policy', () => {
    spec
      .given([])
      .when(set('reschedule_request'))
      .then([policySet('reschedule_request')]);
    spec
      .given([policySet('reschedule_request')])
      .when(set('platform_wins'))
      .then([policySet('platform_wins')]);
  });

  it('records nothing when the policy chosen is already in force', () => {
    spec.given([]).when(set('platform_wins')).then([]);
    spec
      .given([policySet('reschedule_request')])
      .when(set('reschedule_request'))
      .then([]);
  });
});
