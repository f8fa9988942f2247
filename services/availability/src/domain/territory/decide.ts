import { RuleViolation } from '@cs/contracts';
import Holidays from 'date-holidays';
import { isTimeZone } from '../time-zone';
import {
  evolve,
  initialTerritory,
  type Territory,
  type TerritoryEvent,
  type TerritorySettings,
} from './territory';

export type TerritoryCommand = {
  type: 'configure_territory';
  territoryId: string;
  settings: TerritorySettings;
};

const holidayCatalogue = new Holidays();

/** `NL`, `BE`, `DE-NW`: a country date-holidays knows, optionally with one of its states. */
export function isHolidayRegion(region: string): boolean {
  const [country, state, ...rest] = region.split('-');
  if (!country || rest.length > 0) return false;
  if (!(country in holidayCatalogue.getCountries())) return false;
  return state === undefined || state in (holidayCatalogue.getStates(country) ?? {});
}

export function decide(command: TerritoryCommand, state: Territory): TerritoryEvent[] {
  switch (command.type) {
    case 'configure_territory': {
      const violations: Array<{ field: string; message: string }> = [];
      if (!isTimeZone(command.settings.timeZone)) {
        violations.push({
          field: 'timeZone',
          message: `unknown IANA time zone "${command.settings.timeZone}"`,
        });
      }
      if (!isHolidayRegion(command.settings.holidayRegion)) {
        violations.push({
          field: 'holidayRegion',
          message: `unknown holiday region "${command.settings.holidayRegion}"`,
        });
      }
      if (violations.length > 0) throw new RuleViolation(violations);
      // Replacing settings with the same settings changes nothing, so it records nothing.
      if (
        state.status === 'configured' &&
        JSON.stringify(state.settings) === JSON.stringify(command.settings)
      )
        return [];
      return [
        {
          type: 'territory.settings_replaced',
          data: { territoryId: command.territoryId, settings: command.settings },
        },
      ];
    }
    default: {
      const unknown: never = command.type;
      throw new Error(`unhandled territory command ${String(unknown)}`);
    }
  }
}

export const territoryDecider = { initialState: initialTerritory, evolve, decide };
