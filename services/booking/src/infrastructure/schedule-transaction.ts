import { type Envelope, eventRegistry } from '@cs/contracts';
import { type EventStore } from '@cs/eventing';
import { type PoolClient, type QueryResult } from 'pg';
import { decide, type ScheduleCommand } from '../domain/pro-schedule/decide';
import { type ScheduleInputs } from '../domain/pro-schedule/placement';
import {
  type ProSchedule,
  type ScheduleEvent,
  evolve,
  initialSchedule,
  scheduleStreamId,
} from '../domain/pro-schedule/pro-schedule';
import { type BookingRow, findBooking } from './booking-reads';
import { type BookingDetails, recordBookingEvents } from './booking-records';
import { type FoldedSchedule, type ScheduleCache } from './schedule-cache';
import { loadScheduleInputs } from './schedule-inputs';

interface EventRow {
  type: ScheduleEvent['type'];
  schema_version: number;
  data: unknown;
  stream_version: number;
}

type Loaded = FoldedSchedule;

function upcast(type: string, schemaVersion: number, data: unknown): unknown {
  const definition = eventRegistry.definition(type);
  // Current events were validated when they were appended; only old ones need work.
  if (schemaVersion === definition.schemaVersion) return data;
  let upcast = data;
  for (let v = schemaVersion; v < definition.schemaVersion; v++)
    upcast = definition.upcasters[v]!(upcast);
  return eventRegistry.validateData(type, upcast);
}

/**
 * The Pro schedules one command touches, inside one PostgreSQL transaction: each schedule is
 * locked (in Pro id order, so two commands never wait on each other), read, folded and decided
 * on, and its events are appended with the version read. Several Pros (a group booking, a move
 * to another Pro) therefore change together or not at all.
 */
export class ScheduleTransaction {
  private readonly loaded = new Map<string, Loaded>();
  private readonly details = new Map<string, BookingDetails>();
  private readonly changed = new Set<string>();
  /** Booking rows as this transaction last wrote them whole; others are read again. */
  private readonly rows = new Map<string, BookingRow>();
  readonly recorded: Envelope[] = [];

  constructor(
    readonly tx: PoolClient,
    private readonly store: EventStore,
    readonly now: number,
    private readonly cache?: ScheduleCache,
  ) {}

  /** After the transaction has committed: what it folded is the schedules' state now. */
  committed(): void {
    for (const [proId, loaded] of this.loaded) this.cache?.remember(proId, loaded);
  }

  /** Takes every lock the command needs up front. */
  async lock(proIds: readonly string[]): Promise<void> {
    for (const proId of [...new Set(proIds)].sort()) {
      if (this.loaded.has(proId)) continue;
      this.loaded.set(proId, await this.lockAndRead(proId));
    }
  }

  async schedule(proId: string): Promise<ProSchedule> {
    await this.lock([proId]);
    return this.loaded.get(proId)!.state;
  }

  inputs(proId: string, start: number): Promise<ScheduleInputs | undefined> {
    return loadScheduleInputs(this.tx, proId, start);
  }

  /** A booking as the API shows it, after what this transaction did to it. */
  async booking(bookingId: string): Promise<BookingRow | undefined> {
    return this.rows.get(bookingId) ?? (await findBooking(this.tx, bookingId));
  }

  /** Contact details shown with a booking created in this transaction. */
  describe(bookingId: string, details: BookingDetails): void {
    this.details.set(bookingId, details);
  }

  async execute(proId: string, command: ScheduleCommand): Promise<ScheduleEvent[]> {
    await this.lock([proId]);
    const current = this.loaded.get(proId)!;
    const events = decide(command, current.state);
    if (events.length === 0) return events;
    const streamId = scheduleStreamId(proId);
    const result = await this.store.appendWith(this.tx, streamId, events, {
      expectedVersion: current.version,
    });
    this.loaded.set(proId, {
      state: events.reduce(evolve, current.state),
      version: result.nextVersion,
    });
    const written = await recordBookingEvents(
      this.tx,
      result.events,
      this.details,
      (pro, bookingId) => this.loaded.get(pro)?.state.bookings.get(bookingId),
    );
    for (const [bookingId, row] of written) {
      if (row) this.rows.set(bookingId, row);
      else this.rows.delete(bookingId);
    }
    await this.raiseVersions(events, current.state);
    this.recorded.push(...result.events);
    return events;
  }

  /** Runs `work`; if it throws, what it did to the schedules is undone and the error passes on. */
  async tentatively<T>(work: () => Promise<T>): Promise<T> {
    const loaded = new Map(this.loaded);
    const changed = new Set(this.changed);
    const rows = new Map(this.rows);
    const recorded = this.recorded.length;
    await this.tx.query('SAVEPOINT tentative');
    try {
      const result = await work();
      await this.tx.query('RELEASE SAVEPOINT tentative');
      return result;
    } catch (error) {
      await this.tx.query('ROLLBACK TO SAVEPOINT tentative');
      this.restore(this.loaded, loaded);
      this.restore(this.changed, changed);
      this.restore(this.rows, rows);
      this.recorded.length = recorded;
      throw error;
    }
  }

  /** A booking's version rises once per command that changes it; a new one starts at 1. */
  private async raiseVersions(
    events: readonly ScheduleEvent[],
    before: ProSchedule,
  ): Promise<void> {
    const raise: string[] = [];
    for (const { type, data } of events) {
      if (this.changed.has(data.bookingId)) continue;
      this.changed.add(data.bookingId);
      const isNew =
        (type === 'booking.held' || type === 'booking.confirmed') &&
        !before.bookings.has(data.bookingId);
      if (!isNew) raise.push(data.bookingId);
    }
    for (const bookingId of raise) this.rows.delete(bookingId);
    if (raise.length > 0) {
      await this.tx.query('UPDATE bookings SET version = version + 1 WHERE booking_id = ANY($1)', [
        raise,
      ]);
    }
  }

  private restore<T>(target: Map<string, T> | Set<T>, saved: Map<string, T> | Set<T>): void {
    target.clear();
    if (target instanceof Map && saved instanceof Map) for (const [k, v] of saved) target.set(k, v);
    else if (target instanceof Set && saved instanceof Set) for (const v of saved) target.add(v);
  }

  /**
   * Takes the schedule's lock and then reads its stream after the version the cache knows, in
   * one round trip: two statements, so the read's snapshot is taken after the lock is held and
   * sees every earlier command.
   */
  private async lockAndRead(proId: string): Promise<Loaded> {
    const streamId = this.tx.escapeLiteral(scheduleStreamId(proId));
    const known = this.cache?.get(proId) ?? { state: initialSchedule(), version: 0 };
    const results = (await this.tx.query(
      `SELECT pg_advisory_xact_lock(hashtext(${streamId}));
       SELECT type, schema_version, data, stream_version FROM events
        WHERE stream_id = ${streamId} AND stream_version > ${known.version}
        ORDER BY stream_version`,
    )) as unknown as [QueryResult, QueryResult<EventRow>];
    const rows = results[1].rows;
    const state = rows.reduce(
      (s, row) =>
        evolve(s, {
          type: row.type,
          data: upcast(row.type, row.schema_version, row.data),
        } as ScheduleEvent),
      known.state,
    );
    return { state, version: rows.at(-1)?.stream_version ?? known.version };
  }
}
