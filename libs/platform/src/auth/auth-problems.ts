import { ProblemException } from '../errors/problem';

/** A 401 with the challenge RFC 6750 asks for; an error code only when a token was sent. */
export function unauthorized(detail: string, tokenSent = false): ProblemException {
  return new ProblemException({
    status: 401,
    type: 'unauthorized',
    detail,
    headers: { 'WWW-Authenticate': tokenSent ? 'Bearer error="invalid_token"' : 'Bearer' },
  });
}

export function forbidden(detail: string): ProblemException {
  return new ProblemException({ status: 403, type: 'forbidden', detail });
}
