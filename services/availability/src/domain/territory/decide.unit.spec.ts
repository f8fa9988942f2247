import { RuleViolation } from '@cs/contracts';
import { deciderSpec } from '@cs/testing';
import { describe, it } from '@jest/globals';
import { territoryDecider, type TerritoryCommand } from './decide';
import type { TerritorySettings } from './territory';

const settings: TerritorySettings = {
  timeZone: 'Europe/Amsterdam',
  holidayRegion: 'NL',
  averageSpeedKmh: 40,
  detourFactor: 1.3,
  serviceRadiusKm: 25,
  defaults: {
    minNoticeMinutes: 120,
    horizonDays: 60,
    maxBookingsPerDay: 8,
    reminderOffsetsMinutes: [1440, 120],
  },
};
const configure = (s: TerritorySettings): TerritoryCommand => ({
  type: 'configure_territory',
  territoryId: 'nl-utrecht',
  settings: s,
});
const replaced = (s: TerritorySettings) => ({
  type: 'territory.settings_replaced' as const,
  data: { territoryId: 'nl-utrecht', settings: s },
});
const spec = deciderSpec(territoryDecider);

describe('territory', () => {
  it('records the settings of a new territory', () => {
    spec
      .given([])
      .when(configure(settings))
      .then([replaced(settings)]);
  });

  it('records a change and ignores a replace with the same settings', () => {
    const changed = { ...settings, serviceRadiusKm: 30 };
    spec
      .given([replaced(settings)])
      .when(configure(changed))
      .then([replaced(changed)]);
    spec
      .given([replaced(settings)])
      .when(configure(settings))
      .then([]);
  });

  it('accepts a region with a state', () => {
    const nrw = { ...settings, timeZone: 'Europe/Berlin', holidayRegion: 'DE-NW' };
    spec
      .given([])
      .when(configure(nrw))
      .then([replaced(nrw)]);
  });

  it('refuses an unknown time zone or holiday region, naming the field', () => {
    spec
      .given([])
      .when(configure({ ...settings, timeZone: 'Europe/Atlantis' }))
      .thenThrows(/timeZone: unknown IANA time zone/);
    spec
      .given([])
      .when(configure({ ...settings, holidayRegion: 'XX' }))
      .thenThrows(RuleViolation);
    spec
      .given([])
      .when(configure({ ...settings, holidayRegion: 'DE-ZZ' }))
      .thenThrows(/holidayRegion/);
  });
});
