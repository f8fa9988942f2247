import { formatInTimeZone } from 'date-fns-tz';

const DAY_MS = 86_400_000;
const ZONE = 'Europe/Amsterdam';
// NL public holidays that can fall on a Tuesday; the moving ones never do.
const HOLIDAYS = ['01-01', '04-27', '05-05', '12-25', '12-26'];
/** The tests book up to three weeks after their day (a weekly series of four). */
const WEEKS_USED = 4;

export const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

const offsetOn = (day: string) => formatInTimeZone(new Date(`${day}T12:00:00Z`), ZONE, 'xxx');

const fits = (tuesday: string) => {
  const weeks = Array.from({ length: WEEKS_USED }, (_, week) => addDays(tuesday, 7 * week));
  return weeks.every(
    (day) => !HOLIDAYS.includes(day.slice(5)) && offsetOn(day) === offsetOn(tuesday),
  );
};

/**
 * A Tuesday two weeks or more from now, against the real clock the service runs on: no
 * holiday and no change of summer time in the weeks the tests use.
 */
export function upcomingTuesday(now = Date.now()): string {
  const today = new Date(now).toISOString().slice(0, 10);
  const weekday = new Date(`${today}T00:00:00Z`).getUTCDay();
  let tuesday = addDays(today, 14 + ((2 - weekday + 7) % 7));
  while (!fits(tuesday)) tuesday = addDays(tuesday, 7);
  return tuesday;
}

/** The wall-clock time `time` on `day` in Amsterdam, as an ISO string with its offset. */
export const wallClock = (day: string, time: string) => `${day}T${time}:00${offsetOn(day)}`;
