import type { Envelope } from '@cs/contracts';
import { ConcurrencyError } from './errors';
import type { EventStore } from './event-store';

export interface DomainEvent {
  type: string;
  data: unknown;
}

/** An aggregate as two pure functions (decide, evolve) and where it starts. */
export interface Decider<State, Command, Event extends DomainEvent> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State): Event[];
}

export interface HandleOptions {
  /** From `If-Match`: the version the caller saw; a mismatch is reported, never retried. */
  expectedVersion?: number;
  maxRetries?: number;
}

export interface HandleResult<State> {
  version: number;
  state: State;
  events: Envelope[];
}

/** Read, fold with evolve, decide, append with the version read; on a lost race, do it all again. */
export class CommandHandler<State, Command, Event extends DomainEvent> {
  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<State, Command, Event>,
  ) {}

  async load(streamId: string): Promise<{ state: State; version: number }> {
    const history = await this.store.readStream(streamId);
    const state = history.reduce(
      (current, envelope) =>
        this.decider.evolve(current, { type: envelope.type, data: envelope.data } as Event),
      this.decider.initialState(),
    );
    return { state, version: history.at(-1)?.streamVersion ?? 0 };
  }

  async handle(
    streamId: string,
    command: Command,
    options: HandleOptions = {},
  ): Promise<HandleResult<State>> {
    const maxRetries = options.maxRetries ?? 5;
    for (let attempt = 0; ; attempt++) {
      const { state, version } = await this.load(streamId);
      if (options.expectedVersion !== undefined && options.expectedVersion !== version) {
        throw new ConcurrencyError(streamId, options.expectedVersion, version);
      }
      const decided = this.decider.decide(command, state);
      try {
        const result = await this.store.append(streamId, decided, { expectedVersion: version });
        const next = decided.reduce((current, event) => this.decider.evolve(current, event), state);
        return { version: result.nextVersion, state: next, events: result.events };
      } catch (error) {
        const retriable =
          error instanceof ConcurrencyError && options.expectedVersion === undefined;
        if (!retriable || attempt >= maxRetries) throw error;
      }
    }
  }
}
