import { describe, expect, it } from '@jest/globals';
import { initialSchedule } from '../domain/pro-schedule/pro-schedule';
import { ScheduleCache } from './schedule-cache';

const folded = (version: number) => ({ state: initialSchedule(), version });

describe('ScheduleCache', () => {
  it('keeps the newest committed version of a schedule and never goes back', () => {
    const cache = new ScheduleCache();
    cache.remember('p-1', folded(3));
    cache.remember('p-1', folded(2));
    expect(cache.get('p-1')?.version).toBe(3);
    cache.remember('p-1', folded(5));
    expect(cache.get('p-1')?.version).toBe(5);
    expect(cache.get('p-2')).toBeUndefined();
  });

  it('lets the least recently used schedules go first', () => {
    const cache = new ScheduleCache();
    for (let i = 0; i <= 10_000; i++) {
      cache.remember(`p-${i}`, folded(1));
      if (i === 5_000) cache.get('p-0');
    }
    expect(cache.get('p-0')).toBeDefined();
    expect(cache.get('p-1')).toBeUndefined();
    expect(cache.get('p-2')).toBeDefined();
  });
});
