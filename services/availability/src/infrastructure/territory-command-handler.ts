import { EventStore } from '@cs/eventing';
import { RecordingCommandHandler } from '@cs/platform';
import { territoryDecider } from '../domain/territory/decide';

export const TERRITORY_COMMANDS = Symbol('TERRITORY_COMMANDS');

export const territoryCommandHandlerProvider = {
  provide: TERRITORY_COMMANDS,
  useFactory: (store: EventStore) =>
    new RecordingCommandHandler('availability', store, territoryDecider),
  inject: [EventStore],
};

export type TerritoryCommandHandler = ReturnType<typeof territoryCommandHandlerProvider.useFactory>;

export const territoryStreamId = (territoryId: string) => `territory-${territoryId}`;
