import { auth, calendar, type calendar_v3 } from '@googleapis/calendar';
import fc from 'fast-check';
import { describe, expect, it } from '@jest/globals';
import { startGoogleCalendarEmulator, startGraphCalendarEmulator } from '../../src/emulators';
import { trustingHttps } from './trusting-https';

/**
 * A client that only ever applies incremental results must end up holding exactly what a
 * full listing shows, whatever the Pro did in between and however small the pages.
 */
type Op =
  | { kind: 'create'; day: number; recurring: boolean }
  | { kind: 'edit' | 'remove' | 'editInstance' | 'removeInstance'; pick: number }
  | { kind: 'sync'; pageSize: number };

const ops = fc.array(
  fc.oneof(
    fc.record({
      kind: fc.constant('create' as const),
      day: fc.integer({ min: 2, max: 20 }),
      recurring: fc.boolean(),
    }),
    fc.record({
      kind: fc.constantFrom(
        'edit' as const,
        'remove' as const,
        'editInstance' as const,
        'removeInstance' as const,
      ),
      pick: fc.nat(),
    }),
    fc.record({ kind: fc.constant('sync' as const), pageSize: fc.integer({ min: 1, max: 3 }) }),
  ),
  { maxLength: 14 },
);

const day = (n: number) => `2026-03-${String(n).padStart(2, '0')}`;

describe('incremental sync against the emulators', () => {
  it('Google: a replica fed only by sync tokens equals the full listing', async () => {
    await fc.assert(
      fc.asyncProperty(ops, async (script: Op[]) => {
        const emulator = await startGoogleCalendarEmulator();
        try {
          const oauth = new auth.OAuth2(emulator.client);
          oauth.setCredentials({ access_token: emulator.issueAccessToken() });
          const api = calendar({
            version: 'v3',
            rootUrl: emulator.rootUrl,
            auth: oauth,
            retry: false,
          });
          const replica = new Map<string, string>();
          let syncToken: string | undefined;
          const sync = async (maxResults: number) => {
            let pageToken: string | undefined;
            do {
              const { data }: { data: calendar_v3.Schema$Events } = await api.events.list({
                calendarId: 'primary',
                maxResults,
                pageToken,
                syncToken,
              });
              for (const item of data.items ?? [])
                if (item.status === 'cancelled') replica.delete(item.id!);
                else replica.set(item.id!, item.etag!);
              pageToken = data.nextPageToken ?? undefined;
              if (!pageToken) syncToken = data.nextSyncToken!;
            } while (pageToken);
          };
          const live = () =>
            emulator.storedEvents('primary').filter((e) => e.status !== 'cancelled');
          const masters = () => live().filter((e) => e.recurrence);
          for (const op of script) {
            if (op.kind === 'create')
              emulator.asUser.insert('primary', {
                start: { dateTime: `${day(op.day)}T09:00:00Z`, timeZone: 'UTC' },
                end: { dateTime: `${day(op.day)}T10:00:00Z`, timeZone: 'UTC' },
                ...(op.recurring ? { recurrence: ['RRULE:FREQ=DAILY;COUNT=3'] } : {}),
              });
            else if (op.kind === 'sync') await sync(op.pageSize);
            else if (op.kind === 'edit' || op.kind === 'remove') {
              const target = live()[op.pick % Math.max(1, live().length)];
              if (target && op.kind === 'edit')
                emulator.asUser.patch('primary', target.id!, { summary: `v${op.pick}` });
              if (target && op.kind === 'remove') emulator.asUser.delete('primary', target.id!);
            } else {
              const master = masters()[op.pick % Math.max(1, masters().length)];
              if (!master) continue;
              const instances =
                (await api.events.instances({ calendarId: 'primary', eventId: master.id! })).data
                  .items ?? [];
              const instance = instances[op.pick % Math.max(1, instances.length)];
              if (instance && op.kind === 'editInstance')
                emulator.asUser.patch('primary', instance.id!, { summary: 'moved' });
              if (instance && op.kind === 'removeInstance')
                emulator.asUser.delete('primary', instance.id!);
            }
          }
          await sync(2);
          const full =
            (await api.events.list({ calendarId: 'primary', maxResults: 2500 })).data.items ?? [];
          expect(replica).toEqual(new Map(full.map((e) => [e.id!, e.etag!])));
        } finally {
          await emulator.stop();
        }
      }),
      { numRuns: 25 },
    );
  });

  it('Graph: a replica fed only by delta rounds equals the calendar view', async () => {
    await fc.assert(
      fc.asyncProperty(ops, async (script: Op[]) => {
        const emulator = await startGraphCalendarEmulator();
        try {
          const https = trustingHttps(emulator.ca);
          const token = emulator.issueAccessToken();
          const [from, to] = ['2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z'];
          const replica = new Map<string, string>();
          let next = `${emulator.graphUrl}/me/calendarView/delta?startDateTime=${from}&endDateTime=${to}`;
          const sync = async (pageSize: number) => {
            let link: string | undefined = next;
            while (link) {
              const {
                body,
              }: {
                body: {
                  value: Record<string, unknown>[];
                  '@odata.nextLink'?: string;
                  '@odata.deltaLink'?: string;
                };
              } = await https.json('GET', link, {
                token,
                headers: { Prefer: `odata.maxpagesize=${pageSize}` },
              });
              for (const item of body.value)
                if (item['@removed']) replica.delete(item.id as string);
                else replica.set(item.id as string, item['@odata.etag'] as string);
              link = body['@odata.nextLink'];
              if (!link) next = body['@odata.deltaLink']!;
            }
          };
          const view = () => emulator.asUser.view(null, from, to);
          const zone = 'W. Europe Standard Time';
          for (const op of script) {
            if (op.kind === 'create')
              emulator.asUser.create(null, {
                start: { dateTime: `${day(op.day)}T09:00:00`, timeZone: zone },
                end: { dateTime: `${day(op.day)}T10:00:00`, timeZone: zone },
                ...(op.recurring
                  ? {
                      recurrence: {
                        pattern: { type: 'daily', interval: 1 },
                        range: { type: 'numbered', startDate: day(op.day), numberOfOccurrences: 3 },
                      },
                    }
                  : {}),
              });
            else if (op.kind === 'sync') await sync(op.pageSize);
            else {
              const candidates = view().filter((e) =>
                op.kind.endsWith('Instance') ? e.type !== 'singleInstance' : true,
              );
              const target = candidates[op.pick % Math.max(1, candidates.length)];
              if (!target) continue;
              const id =
                op.kind === 'edit' && target.seriesMasterId
                  ? (target.seriesMasterId as string)
                  : target.id;
              if (op.kind === 'edit' || op.kind === 'editInstance')
                emulator.asUser.update(id, { subject: `v${op.pick}` });
              else emulator.asUser.delete(target.id);
            }
          }
          await sync(2);
          expect(replica).toEqual(new Map(view().map((e) => [e.id, e['@odata.etag']])));
        } finally {
          await emulator.stop();
        }
      }),
      { numRuns: 25 },
    );
  });
});
