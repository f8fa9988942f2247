import { describe, expect, it } from '@jest/globals';
import { terms } from '../../../test/support/domain-fixtures';
import { evolve, initialSchedule } from '../../domain/pro-schedule/pro-schedule';
import { ScheduleCache } from '../../infrastructure/schedule-cache';
import { BatchFolds } from './batch-folds';

const folded = (version: number) => ({
  state: evolve(initialSchedule(), { type: 'booking.confirmed', data: terms('b-1', '09:00') }),
  version,
});

describe('the conflicts consumer’s folds', () => {
  it('are read back within the transaction and reach the shared cache only when it commits', () => {
    const shared = new ScheduleCache();
    shared.remember('pro-schedule-p-1', folded(3));
    const folds = new BatchFolds(shared);
    folds.remember('pro-schedule-p-1', folded(5));
    expect(folds.get('pro-schedule-p-1')?.version).toBe(5);
    expect(shared.get('pro-schedule-p-1')?.version).toBe(3);

    folds.settle(true);
    expect(shared.get('pro-schedule-p-1')?.version).toBe(5);
  });

  it('are dropped with a transaction that rolls back, so the next one reads the committed fold', () => {
    const shared = new ScheduleCache();
    shared.remember('pro-schedule-p-1', folded(3));
    const folds = new BatchFolds(shared);
    folds.remember('pro-schedule-p-1', folded(4));
    folds.remember('pro-schedule-p-2', folded(1));

    folds.settle(false);
    expect(folds.get('pro-schedule-p-1')?.version).toBe(3);
    expect(folds.get('pro-schedule-p-2')).toBeUndefined();
    expect(shared.get('pro-schedule-p-2')).toBeUndefined();
  });
});
