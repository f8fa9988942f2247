/**
 * Recurrence rules from real calendars that hung, crashed or flooded earlier engines. Each is
 * legal or nearly so; an expansion of any of them must come back, bounded, whatever it answers.
 */
export interface PathologicalRule {
  readonly name: string;
  readonly rrule: string;
  readonly allDay: boolean;
  /** A DTSTART of its own, where the trouble is the distance from it. */
  readonly since?: string;
}

export const pathologicalRules: readonly PathologicalRule[] = [
  {
    name: 'all-day daily with negative month days (hung ical.js)',
    rrule: 'FREQ=DAILY;BYMONTHDAY=-1,-2,-3,-4,-5,-6,-7',
    allDay: true,
  },
  {
    name: 'all-day daily with BYMINUTE (threw "same occurrence twice")',
    rrule: 'FREQ=DAILY;BYMINUTE=0,15,30,45',
    allDay: true,
  },
  { name: 'every second, forever', rrule: 'FREQ=SECONDLY', allDay: false },
  { name: 'every minute of every hour', rrule: 'FREQ=MINUTELY;BYHOUR=0,6,12,18', allDay: false },
  { name: 'the 30th of February', rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', allDay: false },
  {
    name: 'a billion days counted from 1970',
    rrule: 'FREQ=DAILY;COUNT=1000000000',
    allDay: false,
    since: '1970-01-05T09:00:00Z',
  },
  {
    name: 'a fifth Friday the 13th in February',
    rrule: 'FREQ=MONTHLY;BYMONTH=2;BYDAY=5FR;BYMONTHDAY=13',
    allDay: false,
  },
  { name: 'last second of every minute', rrule: 'FREQ=SECONDLY;BYSETPOS=-1', allDay: false },
  { name: 'week 53 every 400 years', rrule: 'FREQ=YEARLY;INTERVAL=400;BYWEEKNO=53', allDay: true },
  { name: 'not a rule at all', rrule: 'FREQ=FORTNIGHTLY;BYDAY=XX', allDay: false },
];
