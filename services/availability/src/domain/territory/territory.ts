import type { territorySettingsReplaced, EventData } from '@cs/contracts';

export type TerritorySettings = EventData<typeof territorySettingsReplaced>['settings'];

export type TerritoryEvent = {
  type: 'territory.settings_replaced';
  data: EventData<typeof territorySettingsReplaced>;
};

export type Territory =
  | { status: 'unconfigured' }
  | { status: 'configured'; territoryId: string; settings: TerritorySettings };

export const initialTerritory = (): Territory => ({ status: 'unconfigured' });

export function evolve(_state: Territory, event: TerritoryEvent): Territory {
  switch (event.type) {
    case 'territory.settings_replaced':
      return {
        status: 'configured',
        territoryId: event.data.territoryId,
        settings: event.data.settings,
      };
    default: {
      const unknown: never = event.type;
      throw new Error(`unhandled territory event ${String(unknown)}`);
    }
  }
}
