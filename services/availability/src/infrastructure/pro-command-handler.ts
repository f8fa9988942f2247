import { EventStore } from '@cs/eventing';
import { RecordingCommandHandler } from '@cs/platform';
import { proDecider } from '../domain/pro/decide';

export const PRO_COMMANDS = Symbol('PRO_COMMANDS');

export const proCommandHandlerProvider = {
  provide: PRO_COMMANDS,
  useFactory: (store: EventStore) => new RecordingCommandHandler('availability', store, proDecider),
  inject: [EventStore],
};

export type ProCommandHandler = ReturnType<typeof proCommandHandlerProvider.useFactory>;

export const proStreamId = (proId: string) => `pro-${proId}`;
