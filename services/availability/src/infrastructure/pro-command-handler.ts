import { CommandHandler, EventStore } from '@cs/eventing';
import { proDecider } from '../domain/pro/decide';

export const PRO_COMMANDS = Symbol('PRO_COMMANDS');

export const proCommandHandlerProvider = {
  provide: PRO_COMMANDS,
  useFactory: (store: EventStore) => new CommandHandler(store, proDecider),
  inject: [EventStore],
};

export type ProCommandHandler = ReturnType<typeof proCommandHandlerProvider.useFactory>;

export const proStreamId = (proId: string) => `pro-${proId}`;
