import { HttpException } from '@nestjs/common';
import { RuleViolation } from '@cs/contracts';
import { ConcurrencyError, isConnectionError, isTransientConflict } from '@cs/eventing';
import { ProblemException, type ProblemDetails, problemType, statusTitle } from './problem';

export interface ProblemResponse {
  problem: ProblemDetails;
  headers: Readonly<Record<string, string>>;
  /** A failure on our side (5xx): logged with its stack, whatever the caller is shown. */
  serverFault: boolean;
}

const SLUGS: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  406: 'not-acceptable',
  409: 'conflict',
  410: 'gone',
  412: 'precondition-failed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'unprocessable-content',
  428: 'precondition-required',
  429: 'too-many-requests',
  503: 'service-unavailable',
};

const NO_HEADERS: Readonly<Record<string, string>> = {};

function simple(status: number, detail: string | undefined): ProblemDetails {
  return {
    type: problemType(SLUGS[status] ?? `http-${status}`),
    title: statusTitle(status),
    status,
    ...(detail === undefined || detail === '' ? {} : { detail }),
  };
}

/** Nest's own exceptions carry `{ message }`, a string, or a list of validation messages. */
function detailOf(exception: HttpException): string | undefined {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return undefined;
}

/** http-errors (thrown by body-parser before Nest sees the request) marks safe messages `expose`. */
function clientHttpError(error: unknown): { status: number; message: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, expose, message } = error as {
    status?: unknown;
    expose?: unknown;
    message?: unknown;
  };
  if (typeof status === 'number' && status >= 400 && status < 500 && expose === true) {
    return { status, message: typeof message === 'string' ? message : '' };
  }
  return undefined;
}

export function toProblem(error: unknown): ProblemResponse {
  if (error instanceof RuleViolation) {
    return {
      problem: {
        ...simple(422, 'The request breaks a rule.'),
        errors: error.violations.map((v) => ({ field: v.field, message: v.message })),
      },
      headers: NO_HEADERS,
      serverFault: false,
    };
  }
  if (error instanceof ConcurrencyError) {
    return {
      problem: {
        ...simple(412, `The resource is at version ${error.actual}; reload it and try again.`),
        type: problemType('version-mismatch'),
        currentVersion: error.actual,
      },
      headers: NO_HEADERS,
      serverFault: false,
    };
  }
  if (error instanceof ProblemException) {
    // A deliberate 5xx problem is logged only when it wraps an error worth a stack trace.
    const serverFault = error.getStatus() >= 500 && error.cause !== undefined;
    return { problem: { ...error.problem }, headers: error.headers, serverFault };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return {
      problem: simple(status, detailOf(error)),
      headers: NO_HEADERS,
      serverFault: status >= 500,
    };
  }
  if (isConnectionError(error)) {
    // The database is restarting or out of reach: nothing was done, and the same request
    // will succeed once it is back, so the caller is told to retry rather than given a 500.
    return {
      problem: simple(503, 'The database is out of reach for a moment; try again shortly.'),
      headers: { 'retry-after': '1' },
      serverFault: false,
    };
  }
  if (isTransientConflict(error)) {
    // PostgreSQL ended the transaction to let another one on (a deadlock): nothing was done.
    return {
      problem: simple(503, 'The request met a conflicting one; try again.'),
      headers: { 'retry-after': '1' },
      serverFault: false,
    };
  }
  const clientError = clientHttpError(error);
  if (clientError) {
    return {
      problem: simple(clientError.status, clientError.message),
      headers: NO_HEADERS,
      serverFault: false,
    };
  }
  return {
    problem: {
      type: problemType('internal-error'),
      title: statusTitle(500),
      status: 500,
      detail:
        'An unexpected error occurred. It has been logged; quote the X-Correlation-Id header when reporting it.',
    },
    headers: NO_HEADERS,
    serverFault: true,
  };
}
