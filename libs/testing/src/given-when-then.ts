import { expect } from '@jest/globals';
import type { Decider, DomainEvent } from '@cs/eventing';

/** Given these events, when this command, then these events (or this error). */
export function deciderSpec<State, Command, Event extends DomainEvent>(
  decider: Decider<State, Command, Event>,
) {
  return {
    given(events: readonly Event[]) {
      const state = events.reduce((s, e) => decider.evolve(s, e), decider.initialState());
      return {
        when(command: Command) {
          const run = () => decider.decide(command, state);
          return {
            then(expected: readonly Event[]) {
              expect(run()).toEqual(expected);
            },
            thenThrows(error: string | RegExp | (new (...args: never[]) => Error)) {
              expect(run).toThrow(error as never);
            },
          };
        },
      };
    },
  };
}
