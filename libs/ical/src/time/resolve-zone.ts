import { type TimeZone, ianaZone } from './time-zone';
import { WINDOWS_ZONES } from './windows-zones';

/**
 * The zone a `TZID` means. The tz database wins where it knows the name (directly, through
 * the Windows-name table, or under a vendor prefix such as Thunderbird's
 * `/mozilla.org/20070129_1/Europe/London`), since producers' VTIMEZONEs are often abridged;
 * otherwise the file's own VTIMEZONE definition; otherwise `null`.
 */
export function resolveZone(
  tzid: string,
  custom: ReadonlyMap<string, TimeZone> = new Map(),
): TimeZone | null {
  const name = tzid.trim().replace(/^"|"$/g, '');
  return ianaZone(name) ?? windowsZone(name) ?? prefixedZone(name) ?? custom.get(name) ?? null;
}

function windowsZone(name: string): TimeZone | null {
  const iana = WINDOWS_ZONES[name];
  return iana ? ianaZone(iana) : null;
}

function prefixedZone(name: string): TimeZone | null {
  if (!name.startsWith('/')) return null;
  const segments = name.split('/').filter(Boolean);
  for (let i = 1; i < segments.length; i++) {
    const zone = ianaZone(segments.slice(i).join('/'));
    if (zone) return zone;
  }
  return null;
}
