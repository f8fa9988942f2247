import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import { type ItemStatus, type Listing, type Mirror, planChanges, planListing } from './plan';

const vevent = (uid: string, start: string, extra: string[] = []) => [
  'BEGIN:VEVENT',
  `UID:${uid}`,
  'DTSTAMP:20261120T080000Z',
  `DTSTART:${start}`,
  'DURATION:PT1H',
  ...extra,
  'END:VEVENT',
];
const ics = (...events: string[][]) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//t//t//EN',
    ...events.flat(),
    'END:VCALENDAR',
    '',
  ].join('\r\n');

const NOW = Date.parse('2026-11-20T08:00:00Z');

type Remote = Map<string, { etag: string; data: string }>;

/** Applies a plan as the handler does, and keeps the live set of emitted instances. */
function syncOnce(
  remote: Remote,
  status: Map<string, ItemStatus>,
  live: Map<string, string>,
  kind: 'full' | 'delta',
  removedSinceLast: string[],
  changedSinceLast: Set<string>,
) {
  const listing: Listing =
    kind === 'full'
      ? { kind, items: [...remote].map(([href, v]) => ({ href, etag: v.etag })), removed: [] }
      : {
          kind,
          items: [...changedSinceLast]
            .filter((h) => remote.has(h))
            .map((href) => ({ href, etag: remote.get(href)!.etag })),
          removed: removedSinceLast,
        };
  const { fetch, gone } = planListing(listing, status);
  const fetched = fetch
    .filter((h) => remote.has(h))
    .map((href) => ({ href, ...remote.get(href)! }));
  const plan = planChanges({ fetched, gone, status, mirrors: new Map(), now: NOW, owner: [] });
  for (const r of plan.removals) live.delete(`${r.eventUid}|${r.recurrenceId ?? ''}`);
  for (const u of plan.upserts) live.set(`${u.eventUid}|${u.recurrenceId ?? ''}`, u.start);
  for (const href of plan.statusDeletes) status.delete(href);
  for (const s of plan.statusWrites) status.set(s.href, s);
  return plan;
}

describe('inbound plan', () => {
  it('emits a recurring series with its overridden and cancelled instances, then only what changed', () => {
    const series = ics(
      vevent('weekly@x', '20261201T090000Z', [
        'RRULE:FREQ=WEEKLY;COUNT=6',
        'EXDATE:20261215T090000Z',
      ]),
      vevent('weekly@x', '20261208T100000Z', ['RECURRENCE-ID:20261208T090000Z']),
      vevent('weekly@x', '20261222T090000Z', [
        'RECURRENCE-ID:20261222T090000Z',
        'STATUS:CANCELLED',
      ]),
    );
    const status = new Map<string, ItemStatus>();
    const first = planChanges({
      fetched: [{ href: '/c/w.ics', etag: '"1"', data: series }],
      gone: [],
      status,
      mirrors: new Map(),
      now: NOW,
      owner: [],
    });
    expect(first.upserts).toEqual([
      expect.objectContaining({
        recurrenceId: null,
        rrule: 'FREQ=WEEKLY;COUNT=6',
        exdates: ['2026-12-15T09:00:00.000Z'],
      }),
      expect.objectContaining({
        recurrenceId: '2026-12-08T09:00:00.000Z',
        start: '2026-12-08T10:00:00.000Z',
        status: 'confirmed',
      }),
      expect.objectContaining({ recurrenceId: '2026-12-22T09:00:00.000Z', status: 'cancelled' }),
    ]);
    status.set('/c/w.ics', first.statusWrites[0]!);
    const moved = series.replace('20261208T100000Z', '20261208T110000Z');
    const second = planChanges({
      fetched: [{ href: '/c/w.ics', etag: '"2"', data: moved }],
      gone: [],
      status,
      mirrors: new Map(),
      now: NOW,
      owner: [],
    });
    expect(second.upserts.map((u) => u.start)).toEqual(['2026-12-08T11:00:00.000Z']);
    expect(second.removals).toEqual([]);
  });

  it('never counts our own bookings, and records a conflict when the Pro moves or deletes one', () => {
    const mirror: Mirror = {
      bookingId: 'b-1',
      uid: 'booking-b-1@bookings.careservice',
      href: '/c/b.ics',
      etag: '"ours"',
      start: '2026-12-01T09:00:00.000Z',
      end: '2026-12-01T10:00:00.000Z',
    };
    const mirrors = new Map([[mirror.uid, mirror]]);
    const same = planChanges({
      fetched: [
        { href: '/c/b.ics', etag: '"ours"', data: ics(vevent(mirror.uid, '20261201T090000Z')) },
      ],
      gone: [],
      status: new Map(),
      mirrors,
      now: NOW,
      owner: [],
    });
    expect(same).toMatchObject({ upserts: [], conflicts: [], mirrorEtags: [] });
    const moved = planChanges({
      fetched: [
        { href: '/c/b.ics', etag: '"theirs"', data: ics(vevent(mirror.uid, '20261201T130000Z')) },
      ],
      gone: [],
      status: new Map(),
      mirrors,
      now: NOW,
      owner: [],
    });
    expect(moved.upserts).toEqual([]);
    expect(moved.conflicts).toEqual([
      {
        bookingId: 'b-1',
        eventUid: mirror.uid,
        kind: 'moved',
        theirs: { start: '2026-12-01T13:00:00.000Z', end: '2026-12-01T14:00:00.000Z' },
      },
    ]);
    const allDay = planChanges({
      fetched: [
        {
          href: '/c/b.ics',
          etag: '"all-day"',
          data: ics(vevent(mirror.uid, '20261201', ['DTEND;VALUE=DATE:20261202'])).replace(
            'DTSTART:20261201',
            'DTSTART;VALUE=DATE:20261201',
          ),
        },
      ],
      gone: [],
      status: new Map(),
      mirrors,
      now: NOW,
      owner: [],
    });
    expect(allDay.conflicts[0]!.theirs).toEqual({
      start: '2026-12-01T00:00:00.000Z',
      end: '2026-12-02T00:00:00.000Z',
    });
    const status = new Map([
      ['/c/b.ics', { href: '/c/b.ics', uid: mirror.uid, etag: '"ours"', instances: {} }],
    ]);
    const deleted = planChanges({
      fetched: [],
      gone: ['/c/b.ics'],
      status,
      mirrors,
      now: NOW,
      owner: [],
    });
    expect(deleted.conflicts).toEqual([
      { bookingId: 'b-1', eventUid: mirror.uid, kind: 'deleted', theirs: null },
    ]);
    expect(deleted.removals).toEqual([]);
  });

  it('keeps the emitted events equal to the remote calendar under any history of changes, full or delta', () => {
    const op = fc.oneof(
      fc.record({
        op: fc.constant('put' as const),
        n: fc.integer({ min: 0, max: 5 }),
        hour: fc.integer({ min: 8, max: 17 }),
      }),
      fc.record({ op: fc.constant('delete' as const), n: fc.integer({ min: 0, max: 5 }) }),
      fc.record({ op: fc.constant('touch' as const), n: fc.integer({ min: 0, max: 5 }) }),
      fc.record({ op: fc.constant('sync' as const), full: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const remote: Remote = new Map();
        const status = new Map<string, ItemStatus>();
        const live = new Map<string, string>();
        let removed: string[] = [];
        let changed = new Set<string>();
        let version = 0;
        const sync = (full: boolean) => {
          syncOnce(remote, status, live, full ? 'full' : 'delta', removed, changed);
          removed = [];
          changed = new Set();
        };
        for (const step of ops) {
          const href = `/c/${'n' in step ? step.n : 0}.ics`;
          if (step.op === 'put') {
            const hour = String(step.hour).padStart(2, '0');
            remote.set(href, {
              etag: `"${++version}"`,
              data: ics(vevent(`${href}@x`, `20261201T${hour}0000Z`)),
            });
            changed.add(href);
          } else if (step.op === 'delete') {
            if (remote.delete(href)) removed.push(href);
            changed.delete(href);
          } else if (step.op === 'touch') {
            // A new ETag for the same content: nothing to emit.
            const item = remote.get(href);
            if (item) {
              remote.set(href, { ...item, etag: `"${++version}"` });
              changed.add(href);
            }
          } else sync(step.full);
        }
        sync(false);
        const expected = new Map(
          [...remote].map(([href, v]) => [`${href}@x|`, /DTSTART:(\d{8}T\d{2})/.exec(v.data)![1]!]),
        );
        expect(
          new Map([...live].map(([k, start]) => [k, start.replace(/[-:]/g, '').slice(0, 11)])),
        ).toEqual(expected);
        const again = syncOnce(remote, status, live, 'full', [], new Set());
        expect(again.upserts).toEqual([]);
        expect(again.removals).toEqual([]);
      }),
    );
  });
});
