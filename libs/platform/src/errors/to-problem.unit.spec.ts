import {
  BadRequestException,
  ConflictException,
  HttpException,
  NotFoundException,
  PreconditionFailedException,
} from '@nestjs/common';
import { describe, expect, it } from '@jest/globals';
import { ProblemException, validationProblem } from './problem';
import { toProblem } from './to-problem';

describe('toProblem', () => {
  it('maps Nest exceptions by status, keeping their message as the detail', () => {
    expect(toProblem(new NotFoundException('No such booking')).problem).toEqual({
      type: 'https://careservice.example/problems/not-found',
      title: 'Not Found',
      status: 404,
      detail: 'No such booking',
    });
    expect(toProblem(new PreconditionFailedException()).problem).toMatchObject({
      type: 'https://careservice.example/problems/precondition-failed',
      status: 412,
    });
    expect(toProblem(new ConflictException()).problem.type).toMatch(/\/conflict$/);
    expect(toProblem(new BadRequestException(['a is wrong', 'b is wrong'])).problem.detail).toBe(
      'a is wrong; b is wrong',
    );
  });

  it('keeps a problem exception as it was built, with its headers', () => {
    const { problem, headers, serverFault } = toProblem(
      new ProblemException({ status: 503, type: 'upstream-down', retryAfterSeconds: 2.2 }),
    );
    expect(problem).toEqual({
      type: 'https://careservice.example/problems/upstream-down',
      title: 'Service Unavailable',
      status: 503,
    });
    expect(headers).toEqual({ 'Retry-After': '3' });
    expect(serverFault).toBe(false);
  });

  it('accepts an absolute type URI as given', () => {
    const exception = new ProblemException({ status: 422, type: 'urn:careservice:outside-hours' });
    expect(exception.problem.type).toBe('urn:careservice:outside-hours');
  });

  it('builds validation problems with their field errors', () => {
    const { problem } = toProblem(
      validationProblem([{ field: 'slot.start', message: 'Required' }]),
    );
    expect(problem).toMatchObject({
      type: 'https://careservice.example/problems/validation-error',
      status: 400,
      errors: [{ field: 'slot.start', message: 'Required' }],
    });
  });

  it('passes on the client errors body-parser marks as safe to show', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), {
      status: 413,
      expose: true,
    });
    expect(toProblem(tooLarge)).toMatchObject({
      problem: { status: 413, detail: 'request entity too large' },
      serverFault: false,
    });
  });

  it('hides everything about an unexpected error', () => {
    const leaky = Object.assign(new Error('password=hunter2'), { status: 502 });
    for (const error of [new Error('password=hunter2'), leaky, 'a string', null]) {
      const { problem, serverFault } = toProblem(error);
      expect(problem.status).toBe(500);
      expect(JSON.stringify(problem)).not.toContain('hunter2');
      expect(serverFault).toBe(true);
    }
  });

  it('treats an HttpException of 5xx as a server fault', () => {
    expect(toProblem(new HttpException('Bad gateway', 502)).serverFault).toBe(true);
  });

  it('answers a database out of reach with 503 and Retry-After, not as our fault', () => {
    const cut = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    });
    const answer = toProblem(cut);
    expect(answer.problem).toMatchObject({ status: 503 });
    expect(answer.headers).toEqual({ 'retry-after': '1' });
    expect(answer.serverFault).toBe(false);
    expect(toProblem(new Error('something else')).problem.status).toBe(500);
  });

  it('answers a deadlock victim 503 with Retry-After: the same request may simply be sent again', () => {
    const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });
    const { problem, headers, serverFault } = toProblem(deadlock);
    expect(problem.status).toBe(503);
    expect(headers).toEqual({ 'retry-after': '1' });
    expect(serverFault).toBe(false);
  });
});
