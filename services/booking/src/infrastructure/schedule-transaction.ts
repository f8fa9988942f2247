import { type Envelope, placeOrNone } from '@cs/contracts';
import { type EventStore, type Folded, type HandleResult, type PersonalData } from '@cs/eventing';
import { type GeoPoint } from '@cs/scheduling';
import { RecordingCommandHandler } from '@cs/platform';
import { type PoolClient } from 'pg';
import { type ScheduleCommand, scheduleDecider } from '../domain/pro-schedule/decide';
import { type ScheduleInputs } from '../domain/pro-schedule/placement';
import {
  type ProSchedule,
  type ScheduleEvent,
  type ScheduledBooking,
  activeBookings,
  scheduleStreamId,
} from '../domain/pro-schedule/pro-schedule';
import { type BookingRow, findBooking } from './booking-reads';
import { type BookingDetails } from './booking-details';
import { recordBookingEvents } from './booking-records';
import { type ScheduleCache } from './schedule-cache';
import { loadScheduleInputs } from './schedule-inputs';

const DAY = 24 * 60 * 60_000;
/** The days around a start whose bookings' places a decision can need (as `loadScheduleInputs`). */
const INPUT_DAYS_BEFORE = 3 * DAY;
const INPUT_DAYS_AFTER = 9 * DAY;

/**
 * The Pro schedules one command touches, inside one PostgreSQL transaction, each through the
 * CommandHandler: locked (in Pro id order, so two commands never wait on each other), loaded,
 * decided on and appended with the version loaded, the bookings table written alongside.
 * Several Pros (a group booking, a move to another Pro) therefore change together or not at all.
 */
export class ScheduleTransaction {
  private readonly commands: RecordingCommandHandler<ProSchedule, ScheduleCommand, ScheduleEvent>;
  private readonly loaded = new Map<string, Folded<ProSchedule>>();
  private readonly details = new Map<string, BookingDetails>();
  private readonly changed = new Set<string>();
  /** Booking rows as this transaction last wrote them whole; others are read again. */
  private readonly rows = new Map<string, BookingRow>();
  readonly recorded: Envelope[] = [];

  constructor(
    readonly tx: PoolClient,
    store: EventStore,
    readonly now: number,
    private readonly personal: PersonalData,
    cache?: ScheduleCache,
  ) {
    this.commands = new RecordingCommandHandler('booking', store, scheduleDecider, {
      lock: true,
      cache,
    });
  }

  /**
   * After the transaction has committed: what it folded is the schedules' state now, and the
   * answer's consistency token names it.
   */
  committed(): void {
    for (const [proId, folded] of this.loaded) {
      this.commands.remember(scheduleStreamId(proId), folded);
    }
  }

  /** Takes every lock the command needs up front. */
  async lock(proIds: readonly string[]): Promise<void> {
    for (const proId of [...new Set(proIds)].sort()) {
      if (this.loaded.has(proId)) continue;
      this.loaded.set(proId, await this.commands.load(this.tx, scheduleStreamId(proId)));
    }
  }

  async schedule(proId: string): Promise<ProSchedule> {
    await this.lock([proId]);
    return this.loaded.get(proId)!.state;
  }

  /**
   * The Pro's inputs in the days around `start`, with the places their sealed events hold opened
   * (the Pro's home, the bookings' places): one key read for everyone in them. The Pro's schedule
   * is locked first, as every command on it does.
   */
  async inputs(proId: string, start: number): Promise<ScheduleInputs | undefined> {
    const schedule = await this.schedule(proId);
    const recorded = await loadScheduleInputs(this.tx, proId, start);
    if (!recorded) return undefined;
    const around = activeBookings(schedule, this.now).filter(
      (b) => b.location && b.end > start - INPUT_DAYS_BEFORE && b.start < start + INPUT_DAYS_AFTER,
    );
    const opened = await this.personal.reveal(this.tx, {
      home: recorded.settings.homeLocation,
      places: around.map((b) => b.location?.point),
    });
    const places = new Map<string, GeoPoint>();
    around.forEach((b, i) => {
      const place = placeOrNone(opened.places[i]);
      if (place) places.set(b.bookingId, place);
    });
    return {
      ...recorded,
      settings: { ...recorded.settings, homeLocation: placeOrNone(opened.home) },
      places,
    };
  }

  /** Where a booking is, opened from its sealed event; null without a place or once erased. */
  async placeOf(booking: ScheduledBooking): Promise<GeoPoint | null> {
    return placeOrNone(await this.personal.reveal(this.tx, booking.location?.point));
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
    const result = await this.commands.execute(
      this.tx,
      scheduleStreamId(proId),
      this.loaded.get(proId)!,
      command,
      (_tx, done, before) => this.recordBookings(proId, done, before.state),
    );
    return result.decided;
  }

  /** The bookings table and its reserved time (the exclusion constraint) change with the events. */
  private async recordBookings(
    proId: string,
    result: HandleResult<ProSchedule, ScheduleEvent>,
    before: ProSchedule,
  ): Promise<void> {
    this.loaded.set(proId, { state: result.state, version: result.version });
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
    await this.raiseVersions(result.decided, before);
    this.recorded.push(...result.events);
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
}
