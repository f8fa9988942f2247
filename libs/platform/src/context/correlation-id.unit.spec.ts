import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { correlationIdFor } from './correlation-id';

function requestWith(header?: string): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  if (header !== undefined) req.headers['x-correlation-id'] = header;
  return req;
}

describe('correlationIdFor', () => {
  it('keeps a well-formed id from the caller', () => {
    expect(correlationIdFor(requestWith('booking:42.retry_1-a'))).toBe('booking:42.retry_1-a');
    expect(correlationIdFor(requestWith('x'.repeat(128)))).toBe('x'.repeat(128));
  });

  it('replaces an unsafe, empty or oversized id with a UUIDv7', () => {
    for (const offered of ['', 'two words', 'line\nbreak', 'x'.repeat(129), 'ünïcode']) {
      expect(correlationIdFor(requestWith(offered))).toMatch(/^[0-9a-f-]{8}-[0-9a-f]{4}-7/);
    }
  });

  it('gives the same id every time it is asked about one request', () => {
    const req = requestWith();
    expect(correlationIdFor(req)).toBe(correlationIdFor(req));
    expect(correlationIdFor(requestWith())).not.toBe(correlationIdFor(req));
  });
});
