import { describe, expect, it } from '@jest/globals';
import { parseReplayArgs, SERVICE_SCHEMAS } from './replay-args';

const error = (argv: string[]) => {
  const parsed = parseReplayArgs(argv);
  return parsed.kind === 'usage-error' ? parsed.message : `no error: ${JSON.stringify(parsed)}`;
};

describe('parseReplayArgs', () => {
  it('reads a subject, a window and the output form', () => {
    expect(
      parseReplayArgs([
        '--booking',
        'b-1',
        '--from',
        '2026-12-01',
        '--to',
        '2026-12-02T09:30:00+01:00',
        '--json',
      ]),
    ).toEqual({
      kind: 'replay',
      request: {
        subject: { kind: 'booking', id: 'b-1' },
        from: new Date('2026-12-01T00:00:00Z'),
        to: new Date('2026-12-02T08:30:00Z'),
        json: true,
        schemas: SERVICE_SCHEMAS,
      },
    });
    expect(parseReplayArgs(['--pro', 'p-1', '--schemas', 'a, b_2'])).toEqual({
      kind: 'replay',
      request: { subject: { kind: 'pro', id: 'p-1' }, json: false, schemas: ['a', 'b_2'] },
    });
    expect(parseReplayArgs(['--help'])).toEqual({ kind: 'help' });
  });

  it('names what is wrong', () => {
    expect(error([])).toBe('give exactly one of --pro, --booking and --calendar');
    expect(error(['--pro', 'p', '--calendar', 'c'])).toBe(
      'give exactly one of --pro, --booking and --calendar',
    );
    expect(error(['--pro', ' '])).toBe('--pro needs an id');
    expect(error(['--pro'])).toMatch(/--pro/);
    expect(error(['--booking', 'b', '--colour', 'red'])).toMatch(/--colour/);
    expect(error(['--booking', 'b', 'extra'])).toMatch(/extra/);
    expect(error(['--booking', 'b', '--from', 'yesterday'])).toBe(
      '--from: "yesterday" is not an ISO 8601 time or date',
    );
    expect(error(['--booking', 'b', '--to', '2026-02-31'])).toBe(
      '--to: "2026-02-31" is not an ISO 8601 time or date',
    );
    expect(error(['--booking', 'b', '--from', '2026-12-01T10:00:00'])).toMatch(/--from/);
    expect(error(['--booking', 'b', '--from', '2026-12-02', '--to', '2026-12-01'])).toBe(
      '--from must be before --to',
    );
    expect(error(['--booking', 'b', '--schemas', 'booking;drop'])).toBe(
      '--schemas: "booking;drop" is not a lower-case SQL identifier',
    );
  });
});
