import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ianaZone, instantToLocal, type TimeZone } from '../src';

export function zone(id: string): TimeZone {
  const found = ianaZone(id);
  if (!found) throw new Error(`test zone ${id} unknown`);
  return found;
}

/** `YYYY-MM-DD HH:MM` on the wall clock of `zoneId`. */
export function local(instant: number, zoneId: string): string {
  return new Date(instantToLocal(zone(zoneId), instant))
    .toISOString()
    .slice(0, 16)
    .replace('T', ' ');
}

export function fixture(name: string): string {
  return readFileSync(join(__dirname, 'fixtures', name), 'utf8');
}

export const at = (text: string) => Date.parse(text);
