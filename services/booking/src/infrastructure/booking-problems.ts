import { RuleViolation } from '@cs/contracts';
import { ProblemException, type ProblemDetails } from '@cs/platform';
import { SchedulingError } from '@cs/scheduling';
import {
  BookingNotFound,
  BookingStateConflict,
  SlotUnavailable,
} from '../domain/pro-schedule/errors';
import { WaitlistConflict } from '../domain/waitlist/errors';

const EXCLUSION_VIOLATION = '23P01';

export interface Alternative {
  start: string;
  end: string;
  proIds: string[];
}

export function slotUnavailable(
  detail: string,
  alternatives: readonly Alternative[],
  extensions: Record<string, unknown> = {},
) {
  return new ProblemException({
    status: 409,
    type: 'slot-unavailable',
    title: 'Slot unavailable',
    detail,
    extensions: { ...extensions, alternatives },
  });
}

/** The answer a domain refusal gets; undefined for failures that are ours (they stay 5xx). */
export function problemOf(error: unknown): ProblemException | undefined {
  if (error instanceof ProblemException) return error;
  if (error instanceof SlotUnavailable) {
    return slotUnavailable(
      error.message,
      error.alternatives.map((s) => ({
        start: new Date(s.start).toISOString(),
        end: new Date(s.end).toISOString(),
        proIds: [...s.proIds],
      })),
    );
  }
  if (error instanceof BookingNotFound) {
    return new ProblemException({ status: 404, type: 'not-found', detail: error.message });
  }
  if (error instanceof BookingStateConflict) {
    return new ProblemException({ status: 409, type: error.problem, detail: error.message });
  }
  if (error instanceof WaitlistConflict) {
    return new ProblemException({ status: 409, type: error.problem, detail: error.message });
  }
  if (error instanceof RuleViolation) {
    return new ProblemException({
      status: 422,
      type: 'unprocessable-content',
      detail: 'The request breaks a rule.',
      errors: error.violations.map((v) => ({ field: v.field, message: v.message })),
    });
  }
  if (error instanceof SchedulingError) {
    return new ProblemException({
      status: 422,
      type: 'unprocessable-content',
      detail: error.message,
      errors: [{ field: error.path, message: error.message }],
    });
  }
  // The database's own guard: reached only if a schedule was bypassed.
  if ((error as { code?: string }).code === EXCLUSION_VIOLATION) {
    return slotUnavailable('The Pro is not free at that time.', []);
  }
  return undefined;
}

/** A stored problem answer, thrown again for a retried request. */
export function replayProblem(status: number, body: ProblemDetails): ProblemException {
  const { type, title, detail, errors, status: _status, ...extensions } = body;
  return new ProblemException({ status, type, title, detail, errors, extensions });
}
