export type IcalErrorCode =
  | 'truncated'
  | 'syntax'
  | 'missing-property'
  | 'unknown-tzid'
  | 'invalid-rrule'
  | 'invalid-value'
  | 'recurrence-budget';

/**
 * Every problem with iCalendar input surfaces as this one type, naming the line (1-based,
 * in the original unfolded text) and the property, so that callers can report it and keep
 * the rest of the file.
 */
export class IcalError extends Error {
  override readonly name = 'IcalError';

  constructor(
    readonly code: IcalErrorCode,
    readonly detail: string,
    readonly line: number | null,
    readonly property: string | null,
  ) {
    super(
      `${code}${property ? ` in ${property}` : ''}${line !== null ? ` at line ${line}` : ''}: ${detail}`,
    );
  }
}
