import { CommandHandler, EventStore } from '@cs/eventing';
import { territoryDecider } from '../domain/territory/decide';

export const TERRITORY_COMMANDS = Symbol('TERRITORY_COMMANDS');

export const territoryCommandHandlerProvider = {
  provide: TERRITORY_COMMANDS,
  useFactory: (store: EventStore) => new CommandHandler(store, territoryDecider),
  inject: [EventStore],
};

export type TerritoryCommandHandler = ReturnType<typeof territoryCommandHandlerProvider.useFactory>;

export const territoryStreamId = (territoryId: string) => `territory-${territoryId}`;
