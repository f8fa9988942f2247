import { Injectable } from '@nestjs/common';
import { type ProSchedule, ScheduleReader } from './schedule-reader';

/**
 * Each Pro's schedule, kept in memory until the change feed says the read model moved. A load
 * that raced with an invalidation is answered but not kept, so the cache never holds a
 * schedule older than the last change it was told about.
 */
@Injectable()
export class ScheduleCache {
  private readonly entries = new Map<string, ProSchedule | null>();
  private readonly generations = new Map<string, number>();
  private epoch = 0;

  constructor(private readonly reader: ScheduleReader) {}

  async get(proId: string): Promise<ProSchedule | null> {
    const cached = this.entries.get(proId);
    if (cached !== undefined) return cached;
    const generation = this.generations.get(proId) ?? 0;
    const epoch = this.epoch;
    const loaded = await this.reader.load(proId);
    if (epoch === this.epoch && generation === (this.generations.get(proId) ?? 0)) {
      if (this.entries.size >= 50_000) this.entries.clear();
      this.entries.set(proId, loaded);
    }
    return loaded;
  }

  invalidate(proId: string): void {
    this.generations.set(proId, (this.generations.get(proId) ?? 0) + 1);
    this.entries.delete(proId);
  }

  /** When changes may have been missed (the feed lost its connection). */
  clear(): void {
    this.epoch++;
    this.entries.clear();
  }
}
