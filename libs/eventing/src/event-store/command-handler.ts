import type { Envelope } from '@cs/contracts';
import type { PoolClient } from 'pg';
import { ConcurrencyError } from './errors';
import type { EventStore } from './event-store';
import type { FoldCache, Folded } from './fold-cache';

export interface DomainEvent {
  type: string;
  data: unknown;
}

/** An aggregate as two pure functions (decide, evolve) and where it starts. */
export interface Decider<State, Command, Event extends DomainEvent> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  /**
   * The same as evolving event by event, for a state whose copy per event would cost more than
   * the event (a map of every booking): one copy per fold. Must leave `state` as it was.
   */
  evolveAll?(state: State, events: readonly Event[]): State;
  decide(command: Command, state: State): Event[];
}

export interface CommandHandlerOptions<State> {
  /**
   * Commands on one stream queue behind its transaction-scoped advisory lock instead of racing
   * and running again: for streams many commands hit at once (a Pro's schedule).
   */
  lock?: boolean;
  /** Committed folds, so a load reads only the events after the version remembered. */
  cache?: FoldCache<State>;
}

export interface HandleResult<State, Event> {
  version: number;
  state: State;
  /** What decide returned. */
  decided: Event[];
  /** The same events as stored, with ids and stream versions. */
  events: Envelope[];
}

/**
 * Writes that commit or roll back with the events, such as rows the caller reads back at once
 * or a table whose constraint must hold (reserved time). `before` is the fold decided on.
 */
export type AlsoWrite<State, Event> = (
  tx: PoolClient,
  result: HandleResult<State, Event>,
  before: Folded<State>,
) => Promise<void>;

export interface HandleOptions<State, Event> {
  /** From `If-Match`: the version the caller saw; a mismatch is reported, never retried. */
  expectedVersion?: number;
  maxRetries?: number;
  also?: AlsoWrite<State, Event>;
}

/**
 * The one way a command is handled: load the stream (upcast through the event registry), fold
 * it with evolve, decide, append with the version loaded and make the extra writes, all in one
 * transaction.
 */
export class CommandHandler<State, Command, Event extends DomainEvent> {
  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<State, Command, Event>,
    private readonly options: CommandHandlerOptions<State> = {},
  ) {}

  /** In a transaction of its own; a lost race does it all again unless the caller named a version. */
  async handle(
    streamId: string,
    command: Command,
    options: HandleOptions<State, Event> = {},
  ): Promise<HandleResult<State, Event>> {
    const maxRetries = options.maxRetries ?? 5;
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.store.transaction((tx) =>
          this.handleWith(tx, streamId, command, options),
        );
        this.remember(streamId, result);
        return result;
      } catch (error) {
        const retriable =
          error instanceof ConcurrencyError && options.expectedVersion === undefined;
        if (!retriable || attempt >= maxRetries) throw error;
      }
    }
  }

  /** In the caller's transaction; the caller retries and, once committed, calls `remember`. */
  async handleWith(
    tx: PoolClient,
    streamId: string,
    command: Command,
    options: Omit<HandleOptions<State, Event>, 'maxRetries'> = {},
  ): Promise<HandleResult<State, Event>> {
    const folded = await this.load(tx, streamId);
    if (options.expectedVersion !== undefined && options.expectedVersion !== folded.version) {
      throw new ConcurrencyError(streamId, options.expectedVersion, folded.version);
    }
    return this.execute(tx, streamId, folded, command, options.also);
  }

  /** Takes the stream's lock (when the handler locks) and folds what the cache has not seen. */
  async load(tx: PoolClient, streamId: string): Promise<Folded<State>> {
    const known = this.options.cache?.get(streamId) ?? {
      state: this.decider.initialState(),
      version: 0,
    };
    const events = await this.store.readStreamWith(tx, streamId, {
      afterVersion: known.version,
      lock: this.options.lock,
    });
    const state = this.fold(
      known.state,
      events.map(({ type, data }) => ({ type, data }) as Event),
    );
    return { state, version: events.at(-1)?.streamVersion ?? known.version };
  }

  /**
   * Decides on a fold this transaction loaded (several commands in one transaction go on from
   * the previous result) and appends with its version.
   */
  async execute(
    tx: PoolClient,
    streamId: string,
    folded: Folded<State>,
    command: Command,
    also?: AlsoWrite<State, Event>,
  ): Promise<HandleResult<State, Event>> {
    const decided = this.decider.decide(command, folded.state);
    if (decided.length === 0) {
      return { version: folded.version, state: folded.state, decided, events: [] };
    }
    const appended = await this.store.appendWith(tx, streamId, decided, {
      expectedVersion: folded.version,
    });
    const result = {
      version: appended.nextVersion,
      state: this.fold(folded.state, decided),
      decided,
      events: appended.events,
    };
    await also?.(tx, result, folded);
    return result;
  }

  private fold(state: State, events: readonly Event[]): State {
    if (this.decider.evolveAll) return this.decider.evolveAll(state, events);
    return events.reduce((current, event) => this.decider.evolve(current, event), state);
  }

  /** After the transaction committed, its last fold is the stream's state. */
  remember(streamId: string, folded: Folded<State>): void {
    this.options.cache?.remember(streamId, { state: folded.state, version: folded.version });
  }
}
