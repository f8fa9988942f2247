import { RuleViolation } from '@cs/contracts';
import { deciderSpec } from '@cs/testing';
import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import { type ProCommand, AbsenceNotFound, proDecider } from './decide';
import type { ProSettings } from './pro';
import type { ProSettingsInput } from './validate-settings';

const settings: ProSettings = {
  timeZone: 'Europe/Amsterdam',
  territoryId: 'nl-utrecht',
  // Sealed by the shell before the command (docs/adr/0008); decide only compares it.
  homeLocation: {
    sealed: { person: { kind: 'pro', id: 'pro-1' }, keyVersion: 1, ciphertext: 'AAAA' },
  },
  services: [
    {
      serviceId: 'wound-care',
      durationMinutes: 45,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 15,
    },
  ],
  weeklyHours: [
    {
      days: ['MO', 'TU', 'WE', 'TH', 'FR'],
      start: '09:00',
      end: '17:00',
      serviceIds: null,
      emergencyOnly: false,
      repeat: null,
    },
  ],
  dateOverrides: [{ date: '2026-12-24', windows: [{ start: '09:00', end: '12:00' }] }],
  minNoticeMinutes: 120,
  horizonDays: 60,
  maxBookingsPerDay: 8,
  slotStepMinutes: 15,
  worksOnHolidays: false,
  staleSourcePolicy: 'ignore',
};
const configure = (s: ProSettingsInput, territoryKnown = true): ProCommand => ({
  type: 'configure_pro',
  proId: 'pro-1',
  settings: s,
  territoryKnown,
});
const replaced = (s: ProSettings) => ({
  type: 'pro.settings_replaced' as const,
  data: { proId: 'pro-1', settings: s },
});
const absence = {
  proId: 'pro-1',
  absenceId: 'a-1',
  start: '2026-12-01T00:00:00Z',
  end: '2026-12-08T00:00:00Z',
  reason: 'vacation',
};
const added = { type: 'pro.absence_added' as const, data: absence };
const spec = deciderSpec(proDecider);

const violationsOf = (command: ProCommand) => {
  try {
    proDecider.decide(command, proDecider.initialState());
  } catch (error) {
    if (error instanceof RuleViolation) return error.violations.map((v) => v.field);
    throw error;
  }
  return [];
};

describe('pro settings', () => {
  it('records new settings, a change, and nothing for the same settings', () => {
    spec
      .given([])
      .when(configure(settings))
      .then([replaced(settings)]);
    const changed = { ...settings, slotStepMinutes: 30 };
    spec
      .given([replaced(settings)])
      .when(configure(changed))
      .then([replaced(changed)]);
    spec
      .given([replaced(settings)])
      .when(configure(settings))
      .then([]);
  });

  it('refuses an unknown time zone or territory, naming the field', () => {
    spec
      .given([])
      .when(configure({ ...settings, timeZone: 'Mars/Olympus' }))
      .thenThrows(/timeZone: unknown IANA time zone/);
    spec
      .given([])
      .when(configure(settings, false))
      .thenThrows(/territoryId: unknown territory/);
  });

  it('refuses a service without a duration and a window that ends before it starts', () => {
    expect(
      violationsOf(
        configure({
          ...settings,
          services: [{ ...settings.services[0]!, durationMinutes: null }],
          weeklyHours: [{ ...settings.weeklyHours[0]!, start: '17:00', end: '09:00' }],
          dateOverrides: [{ date: '2026-12-24', windows: [{ start: '12:00', end: '12:00' }] }],
        }),
      ),
    ).toEqual(['services.0.durationMinutes', 'weeklyHours.0.end', 'dateOverrides.0.windows.0.end']);
  });

  it('refuses overlapping weekly windows, unless they fall in alternate weeks', () => {
    const rule = settings.weeklyHours[0]!;
    const overlapping = [
      rule,
      { ...rule, days: ['FR' as const, 'SA' as const], start: '16:00', end: '20:00' },
    ];
    expect(violationsOf(configure({ ...settings, weeklyHours: overlapping }))).toEqual([
      'weeklyHours.1',
    ]);
    const touching = [rule, { ...rule, start: '17:00', end: '20:00' }];
    expect(violationsOf(configure({ ...settings, weeklyHours: touching }))).toEqual([]);
    const alternate = [
      { ...rule, repeat: { everyWeeks: 2, startingWeekOf: '2026-11-30' } },
      { ...rule, repeat: { everyWeeks: 2, startingWeekOf: '2026-12-07' } },
    ];
    expect(violationsOf(configure({ ...settings, weeklyHours: alternate }))).toEqual([]);
    const sameWeeks = [
      alternate[0]!,
      { ...rule, repeat: { everyWeeks: 4, startingWeekOf: '2026-12-14' } },
    ];
    expect(violationsOf(configure({ ...settings, weeklyHours: sameWeeks }))).toEqual([
      'weeklyHours.1',
    ]);
  });

  it('refuses a window limited to a service the Pro does not offer, and overlapping override windows', () => {
    expect(
      violationsOf(
        configure({
          ...settings,
          weeklyHours: [{ ...settings.weeklyHours[0]!, serviceIds: ['massage'] }],
          dateOverrides: [
            {
              date: '2026-12-24',
              windows: [
                { start: '09:00', end: '12:00' },
                { start: '11:00', end: '13:00' },
              ],
            },
          ],
        }),
      ),
    ).toEqual(['weeklyHours.0.serviceIds.0', 'dateOverrides.0.windows']);
  });

  it('accepts any set of weekly windows on disjoint days (property)', () => {
    const days = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
    fc.assert(
      fc.property(
        fc.shuffledSubarray([...days], { minLength: 1 }),
        fc.integer({ min: 0, max: 22 }),
        fc.integer({ min: 1, max: 2 }),
        (picked, startHour, hours) => {
          const time = (h: number) => `${String(h).padStart(2, '0')}:00`;
          const weeklyHours = picked.map((day) => ({
            ...settings.weeklyHours[0]!,
            days: [day],
            start: time(startHour),
            end: time(startHour + hours),
          }));
          expect(violationsOf(configure({ ...settings, weeklyHours }))).toEqual([]);
        },
      ),
    );
  });
});

describe('absences', () => {
  it('records an absence once, with the id the command carries', () => {
    spec
      .given([])
      .when({ type: 'add_absence', ...absence })
      .then([added]);
    spec
      .given([replaced(settings), added])
      .when({ type: 'add_absence', ...absence })
      .then([]);
  });

  it('refuses an absence that ends before it starts', () => {
    spec
      .given([])
      .when({ type: 'add_absence', ...absence, end: '2026-11-30T00:00:00Z' })
      .thenThrows(RuleViolation);
  });

  it('removes a recorded absence, and refuses an unknown or removed one', () => {
    const removed = {
      type: 'pro.absence_removed' as const,
      data: { proId: 'pro-1', absenceId: 'a-1' },
    };
    spec
      .given([added])
      .when({ type: 'remove_absence', proId: 'pro-1', absenceId: 'a-1' })
      .then([removed]);
    spec
      .given([added, removed])
      .when({ type: 'remove_absence', proId: 'pro-1', absenceId: 'a-1' })
      .thenThrows(AbsenceNotFound);
  });
});
