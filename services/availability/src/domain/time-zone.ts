const known = new Set<string>();

/** Whether the runtime's IANA database knows this zone name (asking it costs a formatter). */
export function isTimeZone(zone: string): boolean {
  if (known.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    known.add(zone);
    return true;
  } catch {
    return false;
  }
}
