import { Injectable } from '@nestjs/common';
import { localIsoFormatter } from '../../infrastructure/http/local-time';
import { type QueryOptions, availabilityQuery } from '../../infrastructure/read-model/engine-input';
import type { ProSchedule } from '../../infrastructure/read-model/schedule-reader';
import { type TimelessAnswer, bookableAt, isValidAt, timelessAnswer } from './timeless-answer';

export interface AnswerOptions extends QueryOptions {
  readonly timeZone: string;
}

export interface FormattedSlot {
  readonly start: string;
  readonly end: string;
  readonly localStart: string;
  readonly localEnd: string;
}

export interface FormattedSource {
  readonly calendarId: string;
  readonly lastSyncedAt: string | null;
  readonly stale: boolean;
}

export interface Answer {
  readonly slots: readonly FormattedSlot[];
  readonly sources: readonly FormattedSource[];
  readonly blockedByStaleSource: boolean;
}

interface Entry {
  readonly schedule: ProSchedule;
  readonly timeless: TimelessAnswer;
  readonly slots: readonly FormattedSlot[];
  readonly sources: readonly FormattedSource[];
}

const MAX_ENTRIES = 20_000;
const iso = (instant: number) => new Date(instant).toISOString();

/**
 * Formatted answers per Pro and question, kept while the Pro's cached schedule is the same
 * object (the change feed replaces it) and the clock has not moved the answer. Most traffic
 * asks the same few questions again; the engine and the formatting then run once.
 */
@Injectable()
export class AnswerCache {
  private readonly entries = new Map<string, Entry>();

  answer(schedule: ProSchedule, options: AnswerOptions): Answer {
    const key = keyOf(schedule.proId, options);
    let entry = this.entries.get(key);
    if (!entry || entry.schedule !== schedule || !isValidAt(entry.timeless, options.now)) {
      entry = compute(schedule, options);
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(key, entry);
    }
    const { first, end } = bookableAt(entry.timeless, options.now);
    return {
      slots:
        first === 0 && end === entry.slots.length ? entry.slots : entry.slots.slice(first, end),
      sources: entry.sources,
      blockedByStaleSource: entry.timeless.answer.blockedByStaleSource,
    };
  }
}

function keyOf(proId: string, o: AnswerOptions): string {
  const where = o.clientLocation ? `${o.clientLocation.lat},${o.clientLocation.lng}` : '';
  return [proId, o.serviceId, o.range.start, o.range.end, o.emergency ?? false, where, o.timeZone]
    .map(String)
    .join('\u0000');
}

function compute(schedule: ProSchedule, options: AnswerOptions): Entry {
  const timeless = timelessAnswer(availabilityQuery(schedule, options), schedule.appointments);
  const local = localIsoFormatter(options.timeZone);
  return {
    schedule,
    timeless,
    slots: timeless.answer.slots.map((s) => ({
      start: iso(s.start),
      end: iso(s.end),
      localStart: local(s.start),
      localEnd: local(s.end),
    })),
    sources: timeless.answer.sources.map((s) => ({
      calendarId: s.calendarId,
      lastSyncedAt: s.lastSyncedAt === null ? null : iso(s.lastSyncedAt),
      stale: s.stale,
    })),
  };
}
