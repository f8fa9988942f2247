import type { Context } from '@cs/contracts';
import {
  CommandHandler,
  type CommandHandlerOptions,
  type Decider,
  type DomainEvent,
  type EventStore,
  type Folded,
} from '@cs/eventing';
import { recordWritten } from './written-positions';

/**
 * A CommandHandler whose committed folds (`remember`, called once the transaction committed)
 * go into the answer's consistency token, whether the command appended or found nothing to do.
 */
export class RecordingCommandHandler<
  State,
  Command,
  Event extends DomainEvent,
> extends CommandHandler<State, Command, Event> {
  constructor(
    private readonly context: Context,
    store: EventStore,
    decider: Decider<State, Command, Event>,
    options?: CommandHandlerOptions<State>,
  ) {
    super(store, decider, options);
  }

  override remember(streamId: string, folded: Folded<State>): void {
    super.remember(streamId, folded);
    recordWritten(this.context, streamId, folded.version);
  }
}
