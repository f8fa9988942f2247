export type Language = 'nl' | 'en';

/** Dutch for `nl`, `nl-NL`, `nl-BE`; English for everything else. */
export const languageOf = (locale: string | null | undefined): Language =>
  locale?.toLowerCase().startsWith('nl') ? 'nl' : 'en';

/** A moment as the recipient reads it: their language, their zone, with the zone named. */
export function formatMoment(instant: number, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(languageOf(locale) === 'nl' ? 'nl-NL' : 'en-GB', {
    timeZone,
    dateStyle: 'full',
    timeStyle: 'short',
  }).format(instant);
}

export function formatTime(instant: number, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(languageOf(locale) === 'nl' ? 'nl-NL' : 'en-GB', {
    timeZone,
    timeStyle: 'short',
  }).format(instant);
}
