import { instanceKey, type Instance, itemContent, keyedInstance } from './item-instances';
import type { EventProblem } from './problems';

/** What sync remembers of one provider item (vdirsyncer's status): href, UID, ETag, what was sent. */
export interface ItemStatus {
  href: string;
  uid: string | null;
  etag: string | null;
  /** Instance key → fingerprint of what was last emitted for it. */
  instances: Record<string, string>;
}

export interface Listing {
  kind: 'full' | 'delta';
  items: Array<{ href: string; etag: string | null }>;
  removed: string[];
}

/** A booking we wrote into this calendar, to recognise it when it comes back. */
export interface Mirror {
  bookingId: string;
  uid: string;
  href: string | null;
  etag: string | null;
  start: string;
  end: string;
}

export interface ListingPlan {
  fetch: string[];
  gone: string[];
}

/** Step one: from the listing and the status, which items to read and which are gone. */
export function planListing(
  listing: Listing,
  status: ReadonlyMap<string, ItemStatus>,
): ListingPlan {
  const changed = (item: { href: string; etag: string | null }) => {
    const known = status.get(item.href);
    // Without an ETag there is no way to know, so the item is read again.
    return !known || item.etag === null || known.etag !== item.etag;
  };
  const fetch = listing.items.filter(changed).map((i) => i.href);
  // An href deleted and created again between two syncs exists now: it is listed, not gone.
  const listed = new Set(listing.items.map((i) => i.href));
  const gone =
    listing.kind === 'full'
      ? [...status.keys()].filter((href) => !listed.has(href))
      : listing.removed.filter((href) => status.has(href) && !listed.has(href));
  return { fetch: [...new Set(fetch)], gone: [...new Set(gone)] };
}

export interface Conflict {
  bookingId: string;
  eventUid: string;
  kind: 'moved' | 'deleted';
  theirs: { start: string; end: string } | null;
}

export interface ChangePlan {
  upserts: Instance[];
  removals: Array<{ eventUid: string; recurrenceId: string | null }>;
  /** With each item's problems: the calendar's are those of its items. */
  statusWrites: Array<ItemStatus & { problems: EventProblem[] }>;
  statusDeletes: string[];
  /** Our bookings whose copy changed benignly (same times): remember the new ETag. */
  mirrorEtags: Array<{ bookingId: string; href: string; etag: string | null }>;
  conflicts: Conflict[];
}

const fingerprint = (instance: Instance) => JSON.stringify(instance);

/**
 * Step two: compare what was read with what was last emitted. Only real changes become
 * events; our own bookings never count as external busy time, and a change to one of them
 * (moved or deleted by the Pro) is a conflict for the platform to settle.
 */
export function planChanges(input: {
  fetched: Array<{ href: string; etag: string | null; data: string }>;
  gone: string[];
  status: ReadonlyMap<string, ItemStatus>;
  mirrors: ReadonlyMap<string, Mirror>;
  /** Recurrence rules are checked over the booking horizon from here. */
  now: number;
  /** The calendar owner's addresses, as the connector knows them: whose declines count. */
  owner: readonly string[];
}): ChangePlan {
  const plan: ChangePlan = {
    upserts: [],
    removals: [],
    statusWrites: [],
    statusDeletes: [],
    mirrorEtags: [],
    conflicts: [],
  };
  const removeAll = (known: ItemStatus) => {
    for (const key of Object.keys(known.instances))
      plan.removals.push(keyedInstance(key, known.uid!));
  };

  for (const item of input.fetched) {
    const known = input.status.get(item.href);
    const content = itemContent(item.data, input.now, input.owner);
    const mirror = content.uid ? input.mirrors.get(content.uid) : undefined;
    if (mirror) {
      const master = content.instances.find((i) => i.recurrenceId === null);
      if (item.etag !== mirror.etag) {
        if (master && master.start === mirror.start && master.end === mirror.end)
          plan.mirrorEtags.push({ bookingId: mirror.bookingId, href: item.href, etag: item.etag });
        else
          plan.conflicts.push({
            bookingId: mirror.bookingId,
            eventUid: mirror.uid,
            kind: master ? 'moved' : 'deleted',
            theirs: master ? { start: asInstant(master.start), end: asInstant(master.end) } : null,
          });
      }
      plan.statusWrites.push({
        href: item.href,
        uid: content.uid,
        etag: item.etag,
        instances: {},
        problems: [],
      });
      continue;
    }
    const next: Record<string, string> = {};
    for (const instance of content.instances) {
      const key = instanceKey(instance, content.uid);
      next[key] = fingerprint(instance);
      if (known?.instances[key] !== next[key] || known?.uid !== content.uid)
        plan.upserts.push(instance);
    }
    if (known) {
      for (const key of Object.keys(known.instances)) {
        if (!(key in next) || known.uid !== content.uid)
          plan.removals.push(keyedInstance(key, known.uid!));
      }
    }
    plan.statusWrites.push({
      href: item.href,
      uid: content.uid,
      etag: item.etag,
      instances: next,
      problems: content.problems,
    });
  }

  for (const href of input.gone) {
    const known = input.status.get(href);
    if (!known) continue;
    plan.statusDeletes.push(href);
    const mirror = known.uid ? input.mirrors.get(known.uid) : undefined;
    if (mirror && mirror.href === href)
      plan.conflicts.push({
        bookingId: mirror.bookingId,
        eventUid: mirror.uid,
        kind: 'deleted',
        theirs: null,
      });
    else if (!mirror) removeAll(known);
  }
  return plan;
}

/**
 * A mirrored booking the Pro turned into an all-day or floating event carries wall-clock
 * time; sync does not know the Pro's zone, so the conflict reads it as UTC.
 */
function asInstant(time: string): string {
  if (/(Z|[+-]\d\d:\d\d)$/i.test(time)) return time;
  return new Date(`${time.length === 10 ? `${time}T00:00:00` : time}Z`).toISOString();
}
