import { z } from 'zod';

const known = new Set<string>();

function isIanaTimeZone(zone: string): boolean {
  if (known.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    return false;
  }
  known.add(zone);
  return true;
}

/**
 * An IANA zone name the runtime knows, checked as part of the body's schema so that an unknown
 * zone is reported in the same answer as every other bad field.
 */
export const timeZoneId = z
  .string()
  .min(1)
  .max(64)
  .refine(isIanaTimeZone, (zone) => ({ message: `unknown IANA time zone "${zone}"` }));
