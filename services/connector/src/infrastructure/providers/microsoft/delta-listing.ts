import type { Client } from '@microsoft/microsoft-graph-client';
import type { Event as GraphEvent } from 'microsoft-graph';
import { z } from 'zod';
import type { FetchedItem } from '../../../domain/provider/calendar-provider';
import { ProviderError } from '../../../domain/provider/provider-error';
import type { ListingRound } from '../provider-item-store';
import { allPages } from '../provider-listing';
import { eventToIcs } from './graph-event-ical';

const DAY_MS = 86_400_000;
/** The calendarView a round covers: a month back (recent edits) and two years ahead. */
const WINDOW_BEFORE_MS = 30 * DAY_MS;
const WINDOW_AFTER_MS = 730 * DAY_MS;
/** A window with less than a year left is replaced by a new full round. */
const WINDOW_RENEW_MS = 365 * DAY_MS;

/** What `list` hands sync as its cursor: the round's deltaLink and how far its window reaches. */
interface DeltaCursor {
  deltaLink: string;
  windowEnd: number;
}

const page = z
  .object({
    value: z.array(z.object({ id: z.string().min(1) }).passthrough()),
    '@odata.nextLink': z.string().url().optional(),
    '@odata.deltaLink': z.string().url().optional(),
  })
  .refine((p) => p['@odata.nextLink'] || p['@odata.deltaLink'], 'a page ends with a link');

type Removed = GraphEvent & { '@removed'?: { reason?: string } };

export interface DeltaRound extends ListingRound {
  cursor: string;
}

/** The cursor to continue from, or null when there is none, it is not ours or its window runs out. */
export function continuable(cursor: string | null, now: number): DeltaCursor | null {
  if (!cursor) return null;
  try {
    const parsed = JSON.parse(cursor) as Partial<DeltaCursor>;
    if (typeof parsed.deltaLink !== 'string' || typeof parsed.windowEnd !== 'number') return null;
    return parsed.windowEnd - now > WINDOW_RENEW_MS ? (parsed as DeltaCursor) : null;
  } catch {
    return null;
  }
}

/**
 * One round of `calendarView/delta` (https://learn.microsoft.com/en-us/graph/delta-query-events):
 * the first request names the window, then every `@odata.nextLink` is followed as given (a page
 * may be empty and still have one) until the `@odata.deltaLink`, which becomes the cursor.
 * Deletions come as `@removed`; the same event may come more than once, the last one counts.
 */
export async function deltaRound(
  api: Client,
  options: { calendarUrl: string; pageSize: number },
  previous: DeltaCursor | null,
  now: number,
): Promise<DeltaRound> {
  const windowEnd = previous?.windowEnd ?? now + WINDOW_AFTER_MS;
  const first =
    previous?.deltaLink ??
    `${options.calendarUrl}/calendarView/delta?startDateTime=${new Date(now - WINDOW_BEFORE_MS).toISOString()}&endDateTime=${new Date(windowEnd).toISOString()}`;
  let deltaLink: string | undefined;
  const events = await allPages(async (link = first) => {
    const parsed = page.safeParse(
      await api.api(link).header('Prefer', `odata.maxpagesize=${options.pageSize}`).get(),
    );
    if (!parsed.success)
      throw new ProviderError('invalid_data', 'Microsoft Graph sent a delta page we cannot read');
    deltaLink = parsed.data['@odata.deltaLink'];
    return { items: parsed.data.value as Removed[], next: parsed.data['@odata.nextLink'] };
  });
  const items = new Map<string, FetchedItem>();
  const removed = new Set<string>();
  for (const event of events) {
    const ics = event['@removed'] ? null : eventToIcs(event);
    if (ics === null) {
      items.delete(event.id!);
      removed.add(event.id!);
    } else {
      removed.delete(event.id!);
      items.set(event.id!, {
        href: event.id!,
        etag: (event as { '@odata.etag'?: string })['@odata.etag'] ?? null,
        data: ics,
      });
    }
  }
  return {
    kind: previous ? 'delta' : 'full',
    items: [...items.values()],
    removed: [...removed],
    cursor: JSON.stringify({ deltaLink: deltaLink!, windowEnd }),
  };
}
