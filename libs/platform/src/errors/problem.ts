import { HttpException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_BASE_URI = 'https://careservice.example/problems/';

export interface FieldError {
  field: string;
  message: string;
}

/** An RFC 9457 problem document as we send it. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export interface ProblemInit {
  status: number;
  /** A slug under PROBLEM_BASE_URI (`slot-taken`) or an absolute URI. */
  type: string;
  /** Defaults to the status text; a type should always come with the same title. */
  title?: string;
  detail?: string;
  errors?: FieldError[];
  /** Extra members of the problem document, such as `alternatives`. */
  extensions?: Record<string, unknown>;
  /** Sent as `Retry-After`; meant for 429 and 503. */
  retryAfterSeconds?: number;
  headers?: Record<string, string>;
  cause?: unknown;
}

export function problemType(slugOrUri: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(slugOrUri) ? slugOrUri : `${PROBLEM_BASE_URI}${slugOrUri}`;
}

export function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/** Throw this from handlers to answer with a specific problem document. */
export class ProblemException extends HttpException {
  readonly problem: ProblemDetails;
  readonly headers: Readonly<Record<string, string>>;

  constructor(init: ProblemInit) {
    const problem: ProblemDetails = {
      ...init.extensions,
      type: problemType(init.type),
      title: init.title ?? statusTitle(init.status),
      status: init.status,
      ...(init.detail === undefined ? {} : { detail: init.detail }),
      ...(init.errors === undefined ? {} : { errors: init.errors }),
    };
    super(problem, init.status, { cause: init.cause });
    this.problem = problem;
    this.headers = {
      ...init.headers,
      ...(init.retryAfterSeconds === undefined
        ? {}
        : { 'Retry-After': String(Math.max(0, Math.ceil(init.retryAfterSeconds))) }),
    };
  }
}

/** A 400 (or the status given) listing what is wrong with which field of the request. */
export function validationProblem(
  errors: FieldError[],
  detail = 'The request is not valid.',
  status = 400,
): ProblemException {
  return new ProblemException({
    status,
    type: 'validation-error',
    title: 'Invalid request',
    detail,
    errors,
  });
}
