import { type Folded } from '@cs/eventing';
import { type ProSchedule } from '../../domain/pro-schedule/pro-schedule';
import { ScheduleCache } from '../../infrastructure/schedule-cache';

/**
 * The folds of the consumer's transaction in progress over the instance's committed ones. A
 * batch holds a Pro's external events one after another: each event reads on from the previous
 * one's fold instead of the Pro's whole history. They reach the shared cache only once the
 * transaction commits; a rolled back one takes them with it.
 */
export class BatchFolds extends ScheduleCache {
  private readonly pending = new Map<string, Folded<ProSchedule>>();

  constructor(private readonly committed: ScheduleCache) {
    super();
  }

  override get(streamId: string): Folded<ProSchedule> | undefined {
    return this.pending.get(streamId) ?? this.committed.get(streamId);
  }

  override remember(streamId: string, folded: Folded<ProSchedule>): void {
    this.pending.set(streamId, folded);
  }

  settle(committed: boolean): void {
    if (committed)
      for (const [streamId, folded] of this.pending) this.committed.remember(streamId, folded);
    this.pending.clear();
  }
}
