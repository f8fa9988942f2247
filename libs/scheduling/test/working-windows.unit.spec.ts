import { describe, expect, it } from '@jest/globals';
import {
  SchedulingError,
  publicHolidays,
  toLocalIso,
  workingWindows,
  type WindowInput,
} from '../src';
import { iso, proSettings } from './fixtures';

const range = (from: string, to: string) => ({ start: Date.parse(from), end: Date.parse(to) });

function windows(input: Partial<WindowInput> & Pick<WindowInput, 'range'>) {
  return workingWindows({ settings: proSettings(), absences: [], holidays: new Set(), ...input });
}

const local = (ms: number, zone = 'Europe/Amsterdam') => toLocalIso(ms, zone);

describe('weekly rules', () => {
  it('gives one window per working day in the Pro zone', () => {
    const result = windows({ range: range('2026-11-30T00:00:00Z', '2026-12-07T00:00:00Z') });
    expect(result.map((w) => `${local(w.start)} ${local(w.end)}`)).toEqual([
      '2026-11-30T09:00:00+01:00 2026-11-30T17:00:00+01:00',
      '2026-12-01T09:00:00+01:00 2026-12-01T17:00:00+01:00',
      '2026-12-02T09:00:00+01:00 2026-12-02T17:00:00+01:00',
      '2026-12-03T09:00:00+01:00 2026-12-03T17:00:00+01:00',
      '2026-12-04T09:00:00+01:00 2026-12-04T17:00:00+01:00',
    ]);
  });

  it('repeats every N weeks from the week of startingWeekOf', () => {
    const settings = proSettings({
      weeklyHours: [
        {
          days: ['WE'],
          start: '08:00',
          end: '12:00',
          serviceIds: null,
          emergencyOnly: false,
          repeat: { everyWeeks: 2, startingWeekOf: '2026-12-03' },
        },
      ],
    });
    const result = windows({
      settings,
      range: range('2026-11-23T00:00:00Z', '2027-01-04T00:00:00Z'),
    });
    expect(result.map((w) => local(w.start).slice(0, 10))).toEqual([
      '2026-12-02',
      '2026-12-16',
      '2026-12-30',
    ]);
  });

  it('keeps the service list and the emergency flag of each rule', () => {
    const settings = proSettings({
      weeklyHours: [
        {
          days: ['MO'],
          start: '09:00',
          end: '12:00',
          serviceIds: ['bathing'],
          emergencyOnly: false,
          repeat: null,
        },
        {
          days: ['MO'],
          start: '18:00',
          end: '22:00',
          serviceIds: null,
          emergencyOnly: true,
          repeat: null,
        },
      ],
    });
    const [day, evening] = windows({
      settings,
      range: range('2026-11-30T00:00:00Z', '2026-12-01T00:00:00Z'),
    });
    expect(day.serviceIds).toEqual(['bathing']);
    expect(evening.emergencyOnly).toBe(true);
  });

  it('lets a window that ends before it starts run past midnight', () => {
    const settings = proSettings({
      weeklyHours: [
        {
          days: ['FR'],
          start: '22:00',
          end: '06:00',
          serviceIds: null,
          emergencyOnly: false,
          repeat: null,
        },
      ],
    });
    const [night] = windows({
      settings,
      range: range('2026-12-04T00:00:00Z', '2026-12-06T00:00:00Z'),
    });
    expect([local(night.start), local(night.end)]).toEqual([
      '2026-12-04T22:00:00+01:00',
      '2026-12-05T06:00:00+01:00',
    ]);
  });
});

describe('overrides, absences and holidays', () => {
  it('replaces the weekly rules on an overridden date, or closes it', () => {
    const settings = proSettings({
      dateOverrides: [
        { date: '2026-12-01', windows: [{ start: '13:00', end: '15:00' }] },
        { date: '2026-12-02', windows: [] },
      ],
    });
    const result = windows({
      settings,
      range: range('2026-12-01T00:00:00Z', '2026-12-03T00:00:00Z'),
    });
    expect(result.map((w) => `${local(w.start)} ${local(w.end)}`)).toEqual([
      '2026-12-01T13:00:00+01:00 2026-12-01T15:00:00+01:00',
    ]);
  });

  it('cuts absences out of windows but keeps the grid anchor', () => {
    const absences = [
      { start: Date.parse('2026-12-01T10:10:00Z'), end: Date.parse('2026-12-01T11:20:00Z') },
    ];
    const result = windows({
      absences,
      range: range('2026-12-01T00:00:00Z', '2026-12-02T00:00:00Z'),
    });
    expect(result.map((w) => [iso(w.start), iso(w.end), iso(w.gridStart)])).toEqual([
      ['2026-12-01T08:00:00.000Z', '2026-12-01T10:10:00.000Z', '2026-12-01T08:00:00.000Z'],
      ['2026-12-01T11:20:00.000Z', '2026-12-01T16:00:00.000Z', '2026-12-01T08:00:00.000Z'],
    ]);
  });

  it('blocks public holidays of the region unless the Pro works on them', () => {
    const holidays = publicHolidays('NL', 2026, 2026);
    expect(holidays.has('2026-04-27')).toBe(true);
    const kingsDay = range('2026-04-27T00:00:00Z', '2026-04-28T00:00:00Z');
    expect(windows({ holidays, range: kingsDay })).toEqual([]);
    expect(
      windows({ holidays, range: kingsDay, settings: proSettings({ worksOnHolidays: true }) }),
    ).toHaveLength(1);
  });

  it('knows regional holidays such as Corpus Christi in North Rhine-Westphalia', () => {
    expect(publicHolidays('DE-NW', 2026, 2026).has('2026-06-04')).toBe(true);
    expect(publicHolidays('DE-HH', 2026, 2026).has('2026-06-04')).toBe(false);
    expect(publicHolidays('BE', 2026, 2026).has('2026-07-21')).toBe(true);
  });

  it('takes an explicit override on a holiday as the Pro choosing to work', () => {
    const holidays = new Set(['2026-12-25']);
    const settings = proSettings({
      dateOverrides: [{ date: '2026-12-25', windows: [{ start: '10:00', end: '12:00' }] }],
    });
    expect(
      windows({ settings, holidays, range: range('2026-12-25T00:00:00Z', '2026-12-26T00:00:00Z') }),
    ).toHaveLength(1);
  });
});

describe('daylight saving time (§3: a nonexistent time moves forward by the gap, an ambiguous one takes the first)', () => {
  const at = (zone: string, day: string, start: string, end: string) => {
    const settings = proSettings({
      timeZone: zone,
      weeklyHours: [
        {
          days: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'],
          start,
          end,
          serviceIds: null,
          emergencyOnly: false,
          repeat: null,
        },
      ],
    });
    const around = Date.parse(`${day}T12:00:00Z`);
    const [window] = windows({
      settings,
      range: { start: around - 86_400_000, end: around + 86_400_000 },
    }).filter((w) => local(w.start, zone).startsWith(day));
    return [
      local(window.start, zone),
      local(window.end, zone),
      (window.end - window.start) / 60_000,
    ];
  };

  it('Europe/Amsterdam spring forward: a window that contains the change is an hour shorter', () => {
    expect(at('Europe/Amsterdam', '2026-03-29', '01:00', '05:00')).toEqual([
      '2026-03-29T01:00:00+01:00',
      '2026-03-29T05:00:00+02:00',
      180,
    ]);
  });

  it('Europe/Amsterdam spring forward: 02:30 does not exist and becomes 03:30', () => {
    expect(at('Europe/Amsterdam', '2026-03-29', '02:30', '06:00')).toEqual([
      '2026-03-29T03:30:00+02:00',
      '2026-03-29T06:00:00+02:00',
      150,
    ]);
  });

  it('Europe/Amsterdam fall back: 02:30 happens twice and the first is taken', () => {
    expect(at('Europe/Amsterdam', '2026-10-25', '02:30', '04:00')).toEqual([
      '2026-10-25T02:30:00+02:00',
      '2026-10-25T04:00:00+01:00',
      150,
    ]);
  });

  it('America/New_York spring forward and fall back', () => {
    expect(at('America/New_York', '2026-03-08', '01:00', '04:00')).toEqual([
      '2026-03-08T01:00:00-05:00',
      '2026-03-08T04:00:00-04:00',
      120,
    ]);
    expect(at('America/New_York', '2026-03-08', '02:15', '05:00')).toEqual([
      '2026-03-08T03:15:00-04:00',
      '2026-03-08T05:00:00-04:00',
      105,
    ]);
    expect(at('America/New_York', '2026-11-01', '01:30', '03:00')).toEqual([
      '2026-11-01T01:30:00-04:00',
      '2026-11-01T03:00:00-05:00',
      150,
    ]);
  });

  it('Asia/Kolkata has a half-hour offset and no DST', () => {
    expect(at('Asia/Kolkata', '2026-06-01', '09:00', '17:00')).toEqual([
      '2026-06-01T09:00:00+05:30',
      '2026-06-01T17:00:00+05:30',
      480,
    ]);
  });

  it('Australia/Lord_Howe moves its clocks by half an hour', () => {
    expect(at('Australia/Lord_Howe', '2026-10-04', '01:00', '04:00')).toEqual([
      '2026-10-04T01:00:00+10:30',
      '2026-10-04T04:00:00+11:00',
      150,
    ]);
    expect(at('Australia/Lord_Howe', '2026-10-04', '02:10', '04:00')).toEqual([
      '2026-10-04T02:40:00+11:00',
      '2026-10-04T04:00:00+11:00',
      80,
    ]);
    expect(at('Australia/Lord_Howe', '2026-04-05', '01:00', '03:00')).toEqual([
      '2026-04-05T01:00:00+11:00',
      '2026-04-05T03:00:00+10:30',
      150,
    ]);
  });
});

describe('bad settings', () => {
  const attempt = (settings: Parameters<typeof proSettings>[0]) => () =>
    windows({
      settings: proSettings(settings),
      range: range('2026-12-01T00:00:00Z', '2026-12-02T00:00:00Z'),
    });

  it.each([
    [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
    [
      {
        weeklyHours: [
          {
            days: ['MO'],
            start: '9am',
            end: '17:00',
            serviceIds: null,
            emergencyOnly: false,
            repeat: null,
          },
        ],
      },
      'weeklyHours[0].start',
    ],
    [
      {
        weeklyHours: [
          {
            days: ['MO'],
            start: '09:00',
            end: '25:00',
            serviceIds: null,
            emergencyOnly: false,
            repeat: null,
          },
        ],
      },
      'weeklyHours[0].end',
    ],
    [{ dateOverrides: [{ date: '2026-02-30', windows: [] }] }, 'dateOverrides[0].date'],
    [
      {
        weeklyHours: [
          {
            days: ['MO'],
            start: '09:00',
            end: '17:00',
            serviceIds: null,
            emergencyOnly: false,
            repeat: { everyWeeks: 2, startingWeekOf: 'soon' },
          },
        ],
      },
      'weeklyHours[0].repeat.startingWeekOf',
    ],
  ] as const)('names the setting: %j', (settings, path) => {
    expect(attempt(settings as never)).toThrow(SchedulingError);
    expect(attempt(settings as never)).toThrow(path);
  });

  it('rejects an unknown holiday region', () => {
    expect(() => publicHolidays('XX', 2026, 2026)).toThrow(SchedulingError);
  });
});
