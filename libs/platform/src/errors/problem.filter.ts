import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { type Request, type Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { CORRELATION_HEADER, correlationIdFor } from '../context/correlation-id';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { toProblem } from './to-problem';

/** Every error leaves as `application/problem+json`; a 500 never shows its message or stack. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: PinoLogger) {
    logger.setContext(ProblemFilter.name);
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    // Other transports have their own error shapes; rethrowing hands the error back to them.
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const { problem, headers, serverFault } = toProblem(exception);
    if (serverFault) this.logger.error({ err: exception }, 'request failed');
    if (res.headersSent) {
      res.end();
      return;
    }
    // An error raised ahead of the platform's middleware (say, by a body parser an app added
    // itself) must still echo the id the caller will quote.
    if (!res.hasHeader(CORRELATION_HEADER)) {
      res.setHeader(CORRELATION_HEADER, correlationIdFor(req));
    }
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res
      .status(problem.status)
      .type(PROBLEM_CONTENT_TYPE)
      .json({ ...problem, instance: req.originalUrl.split('?')[0] });
  }
}
