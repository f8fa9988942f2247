import { isTimeZone } from '../time-zone';
import type { ProSettings } from './pro';

type Service = ProSettings['services'][number];
type WeeklyRule = ProSettings['weeklyHours'][number];

/** Settings as a caller sends them: a service may still lack its duration. */
export type ProSettingsInput = Omit<ProSettings, 'services'> & {
  services: ReadonlyArray<Omit<Service, 'durationMinutes'> & { durationMinutes: number | null }>;
};

export interface FieldViolation {
  field: string;
  message: string;
}

const DAY_MS = 86_400_000;

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

function spanViolation(
  window: { start: string; end: string },
  path: string,
): FieldViolation | null {
  if (window.start === '24:00')
    return { field: `${path}.start`, message: 'a window cannot start at 24:00' };
  if (minutesOf(window.end) <= minutesOf(window.start))
    return {
      field: `${path}.end`,
      message: `ends at ${window.end}, not after its start ${window.start}`,
    };
  return null;
}

const mondayOf = (date: string) => {
  const day = Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
  return day - ((day + 3) % 7);
};
const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Two weekly rules can fall in the same week unless their alternate-week cycles never meet. */
function shareWeeks(a: WeeklyRule, b: WeeklyRule): boolean {
  const everyA = a.repeat?.everyWeeks ?? 1;
  const everyB = b.repeat?.everyWeeks ?? 1;
  const step = gcd(everyA, everyB);
  if (step === 1 || !a.repeat || !b.repeat) return true;
  const weeksApart = (mondayOf(b.repeat.startingWeekOf) - mondayOf(a.repeat.startingWeekOf)) / 7;
  return ((weeksApart % step) + step) % step === 0;
}

function overlappingRules(rules: readonly WeeklyRule[]): FieldViolation[] {
  const violations: FieldViolation[] = [];
  rules.forEach((rule, j) => {
    for (let i = 0; i < j; i++) {
      const other = rules[i]!;
      const day = rule.days.find((d) => other.days.includes(d));
      const overlaps =
        day !== undefined &&
        minutesOf(rule.start) < minutesOf(other.end) &&
        minutesOf(other.start) < minutesOf(rule.end) &&
        shareWeeks(rule, other);
      if (overlaps) {
        violations.push({
          field: `weeklyHours.${j}`,
          message: `overlaps weeklyHours.${i} on ${day}`,
        });
        return;
      }
    }
  });
  return violations;
}

/** Every reason the settings cannot be used, each naming its field (dotted, as the body has it). */
export function settingsViolations(
  settings: ProSettingsInput,
  territoryKnown: boolean,
): FieldViolation[] {
  const violations: FieldViolation[] = [];
  if (!isTimeZone(settings.timeZone))
    violations.push({
      field: 'timeZone',
      message: `unknown IANA time zone "${settings.timeZone}"`,
    });
  if (!territoryKnown)
    violations.push({
      field: 'territoryId',
      message: `unknown territory "${settings.territoryId}"`,
    });

  const serviceIds = new Set<string>();
  settings.services.forEach((service, i) => {
    if (service.durationMinutes === null)
      violations.push({
        field: `services.${i}.durationMinutes`,
        message: 'a service needs a duration',
      });
    if (serviceIds.has(service.serviceId))
      violations.push({
        field: `services.${i}.serviceId`,
        message: `"${service.serviceId}" is listed twice`,
      });
    serviceIds.add(service.serviceId);
  });

  settings.weeklyHours.forEach((rule, i) => {
    const span = spanViolation(rule, `weeklyHours.${i}`);
    if (span) violations.push(span);
    rule.serviceIds?.forEach((id, k) => {
      if (!serviceIds.has(id))
        violations.push({
          field: `weeklyHours.${i}.serviceIds.${k}`,
          message: `no service "${id}"`,
        });
    });
  });
  if (!violations.some((v) => v.field.startsWith('weeklyHours')))
    violations.push(...overlappingRules(settings.weeklyHours));

  const dates = new Set<string>();
  settings.dateOverrides.forEach((override, i) => {
    if (dates.has(override.date))
      violations.push({
        field: `dateOverrides.${i}.date`,
        message: `${override.date} is listed twice`,
      });
    dates.add(override.date);
    const spans = override.windows.map((w, k) =>
      spanViolation(w, `dateOverrides.${i}.windows.${k}`),
    );
    violations.push(...spans.filter((v): v is FieldViolation => v !== null));
    const sorted = [...override.windows].sort((a, b) => minutesOf(a.start) - minutesOf(b.start));
    if (
      spans.every((v) => v === null) &&
      sorted.some((w, k) => k > 0 && minutesOf(w.start) < minutesOf(sorted[k - 1]!.end))
    )
      violations.push({ field: `dateOverrides.${i}.windows`, message: 'windows overlap' });
  });
  return violations;
}
