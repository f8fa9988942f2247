import { Injectable } from '@nestjs/common';
import { type ProSchedule } from '../domain/pro-schedule/pro-schedule';

/** A Pro schedule folded up to a stream version. */
export interface FoldedSchedule {
  readonly state: ProSchedule;
  readonly version: number;
}

const CAPACITY = 10_000;

/**
 * Committed Pro schedules, so a command folds only the events after the version it remembers
 * instead of the Pro's whole history. Only states of committed transactions go in; a state
 * behind the stream (another instance wrote since) is caught up by reading the newer events, so
 * the cache may lag but never runs ahead. The least recently used Pros leave first.
 */
@Injectable()
export class ScheduleCache {
  private readonly entries = new Map<string, FoldedSchedule>();

  get(proId: string): FoldedSchedule | undefined {
    const entry = this.entries.get(proId);
    if (entry) {
      this.entries.delete(proId);
      this.entries.set(proId, entry);
    }
    return entry;
  }

  remember(proId: string, folded: FoldedSchedule): void {
    const known = this.entries.get(proId);
    if (known && known.version >= folded.version) return;
    this.entries.delete(proId);
    this.entries.set(proId, folded);
    if (this.entries.size > CAPACITY) this.entries.delete(this.entries.keys().next().value!);
  }
}
