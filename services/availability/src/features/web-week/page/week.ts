// A Pro's week for people who would rather look than read. No framework and no build step:
// the availability service strips the types as it starts (web-week/week-script.ts) and the
// page talks to the public API with the bearer token it was given in the URL fragment (never
// sent to a server) or pasted.
import type { BusyController } from '../../explain-busy-time/busy.controller';
import type { ViewAvailabilityController } from '../../view-availability/view-availability.controller';
import type { WorkingWindowsController } from '../../view-working-windows/working-windows.controller';

/** What an endpoint answers, as its controller returns it (every instant already a string). */
type Answer<T extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<T>>;
type AvailabilityAnswer = Answer<ViewAvailabilityController['view']>;
type WindowsAnswer = Answer<WorkingWindowsController['windows']>;
type BusyAnswer = Answer<BusyController['busy']>;
type FreeSlot = AvailabilityAnswer['slots'][number];
type WorkingWindow = WindowsAnswer['windows'][number];
type BusyEntry = BusyAnswer['intervals'][number];
type SourceLine = AvailabilityAnswer['sources'][number];

/** A booking as the booking service lists it (docs/api.md): another service, so not imported. */
interface Booking {
  bookingId: string;
  status: string;
  start: string;
  end: string;
  client?: { clientId?: string; name?: string };
}

/** A Pro's calendars as the sync service tells them (docs/api.md, `GET /v1/pros/{proId}/sync-status`). */
interface SyncStatus {
  calendars: SyncedCalendar[];
  error?: unknown;
}

interface SyncedCalendar {
  calendarId: string;
  name: string;
  provider: string;
  state: 'ok' | 'degraded' | 'reauth_required' | 'disabled';
  paused: boolean;
  lastSyncedAt: string | null;
  lastError: string | null;
  problems: { eventUid: string | null; line: number | null; reason: string }[];
  problemCount: number;
}

interface ProblemDetails {
  title?: string;
  detail?: string;
  status?: number;
  errors?: { field: string; message: string }[];
  alternatives?: { start: string; end: string }[];
}

interface Week {
  slots: readonly FreeSlot[];
  sources: readonly SourceLine[];
  blocked: boolean;
  windows: readonly WorkingWindow[];
  busy: readonly BusyEntry[];
  bookings: readonly Booking[];
  /** The Pro's calendars by id, with their names and sync state; empty for a client. */
  calendars: ReadonlyMap<string, SyncedCalendar>;
  /** Why the sync status is missing, when it could not be read. */
  syncError: unknown;
  notes: readonly string[];
}

type EntryType = 'window' | 'busy' | 'booking' | 'slot';

/** Something drawn on the week: its interval, what it is and the answer item it came from. */
interface Entry {
  type: EntryType;
  start: number;
  end: number;
  item: { start: string; end: string };
  attrs: Attributes;
  heading: string;
}

/** The part of an entry on one shown day, in minutes since that day's local midnight. */
interface Piece {
  day: number;
  from: number;
  to: number;
}

type Attributes = Record<string, string | number | boolean | null | undefined | EventListener>;

interface StreamEvent {
  data: string;
  event?: string;
  id?: string;
  retry?: number;
}

const DAY_MINUTES = 24 * 60;
const TOKEN_KEY = 'cs.week.token';
const CLIENT_KEY = 'cs.week.client';

/** An element the page's HTML has: the ids are the page's own. */
const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const input = (id: string) => $<HTMLInputElement>(id);
const button = (id: string) => $<HTMLButtonElement>(id);
const dialog = () => $<HTMLDialogElement>('book-dialog');

const state: {
  token: string;
  proId: string;
  serviceId: string;
  zone: string;
  week: string;
  bookingUrl: string;
  syncUrl: string;
  days: number[];
  lastEventId: string;
  stream: AbortController | null;
  reloadTimer: ReturnType<typeof setTimeout> | undefined;
  loadTicket: number;
  pending: { slot: { start: string; end: string }; key: string } | null;
  /** The last booking answer's Consistency-Token, sent with reads until one load has shown it. */
  consistencyToken: string;
} = {
  token: '',
  proId: '',
  serviceId: '',
  zone: '',
  /** A local `YYYY-MM-DD` in the shown week; empty for the current week. */
  week: '',
  bookingUrl: '',
  syncUrl: '',
  days: [],
  lastEventId: '',
  stream: null,
  reloadTimer: undefined,
  loadTicket: 0,
  pending: null,
  consistencyToken: '',
};

/** A problem+json answer (RFC 9457), or one made up for a failure that has no answer. */
class Problem extends Error {
  readonly problem: ProblemDetails;
  readonly status: number;

  constructor(problem: ProblemDetails, status?: number) {
    super(problem.title ?? 'Something went wrong');
    this.problem = problem;
    this.status = status ?? problem.status ?? 0;
  }
}

function el(
  tag: string,
  attributes: Attributes = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = String(value);
    // Through the CSSOM: the page's Content-Security-Policy forbids inline style attributes.
    else if (name === 'style') node.style.cssText = String(value);
    else if (typeof value === 'function') node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children.filter((child): child is Node | string => child != null));
  return node;
}

// ---- time in the Pro's zone ---------------------------------------------------------------

const DAY_MS = 86_400_000;
const formats = new Map<string, Intl.DateTimeFormat>();
/** An Intl formatter in the Pro's zone, made once per zone and options. */
function format(options: Intl.DateTimeFormatOptions, locale?: string): Intl.DateTimeFormat {
  const key = `${state.zone} ${locale} ${JSON.stringify(options)}`;
  let formatter = formats.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, { timeZone: state.zone, ...options });
    formats.set(key, formatter);
  }
  return formatter;
}

const NUMERIC = ['year', 'month', 'day', 'hour', 'minute', 'second'] as const;
const PARTS: Intl.DateTimeFormatOptions = {
  ...Object.fromEntries(NUMERIC.map((p) => [p, 'numeric'])),
  hourCycle: 'h23',
};

type WallClock = Record<(typeof NUMERIC)[number], number>;

function wallClock(instant: number): WallClock {
  const parts: Partial<Record<string, number>> = {};
  for (const part of format(PARTS, 'en-US').formatToParts(instant))
    parts[part.type] = Number(part.value);
  return parts as WallClock;
}

/** The calendar date an instant falls on in the Pro's zone, as UTC midnight of that date. */
function dateOf(instant: number): number {
  const w = wallClock(instant);
  return Date.UTC(w.year, w.month - 1, w.day);
}

/** The instant a local date (given as its UTC midnight) begins in the Pro's zone. */
function localMidnight(date: number): number {
  const offsetAt = (instant: number) => {
    const w = wallClock(instant);
    const wall = Date.UTC(w.year, w.month - 1, w.day, w.hour % 24, w.minute, w.second);
    return wall - Math.floor(instant / 1000) * 1000;
  };
  return date - offsetAt(date - offsetAt(date));
}

const time = (instant: number) =>
  format({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
const shortDay = (instant: number) =>
  format({ weekday: 'short', day: 'numeric', month: 'short' }).format(instant);
const longDay = (instant: number) =>
  format({ weekday: 'long', day: 'numeric', month: 'long' }).format(instant);
const span = (start: number, end: number) => `${time(start)}–${time(end)}`;
const isoDate = (date: number) => new Date(date).toISOString().slice(0, 10);

/** The shown week's Monday, as a date. */
function shownMonday(): number {
  const asked = /^\d{4}-\d{2}-\d{2}$/.test(state.week) ? Date.parse(state.week) : NaN;
  const date = Number.isNaN(asked) ? dateOf(Date.now()) : asked;
  return date - ((new Date(date).getUTCDay() + 6) % 7) * DAY_MS;
}

/** Wall-clock minutes since the day's local midnight; the next midnight counts as 24:00. */
function minutesInto(dayIndex: number, instant: number): number {
  if (instant >= state.days[dayIndex + 1]) return DAY_MINUTES;
  if (instant <= state.days[dayIndex]) return 0;
  const w = wallClock(instant);
  return (w.hour % 24) * 60 + w.minute;
}

/** The parts of [start, end) on each shown day, with minutes for placing them. */
function pieces(start: number, end: number): Piece[] {
  const result: Piece[] = [];
  for (let i = 0; i < 7; i++) {
    if (end <= state.days[i] || start >= state.days[i + 1]) continue;
    result.push({ day: i, from: minutesInto(i, start), to: minutesInto(i, end) });
  }
  return result;
}

// ---- talking to the API -------------------------------------------------------------------

/** Reads not yet consistent (503 with Retry-After) are asked again this many times. */
const READ_RETRIES = 3;

async function call<T>(base: string, path: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    for (let attempt = 0; ; attempt++) {
      response = await fetch(base + path, {
        ...init,
        headers: {
          authorization: `Bearer ${state.token}`,
          accept: 'application/json',
          ...init.headers,
        },
      });
      const retryAfter = response.headers.get('retry-after');
      const retry = response.status === 503 && init.method === undefined && retryAfter !== null;
      if (!retry || attempt >= READ_RETRIES) break;
      await new Promise((resolve) => setTimeout(resolve, Number(retryAfter) * 1000));
    }
  } catch {
    const where = base || location.origin;
    throw new Problem({
      title: `Could not reach ${where}`,
      detail:
        base === ''
          ? 'The availability service did not answer. Is it running?'
          : `Is the ${base === state.syncUrl ? 'sync' : 'booking'} service running, and does its CORS_ORIGINS list ${location.origin}?`,
    });
  }
  const token = response.headers.get('consistency-token');
  if (token) state.consistencyToken = token;
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new Problem(
      body && typeof body === 'object'
        ? body
        : { title: `${response.status} ${response.statusText}` },
      response.status,
    );
  }
  return body as T;
}

const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

/** Reads wait for the page's own last booking to show (docs/api.md, read your own writes). */
const consistent = (token: string): RequestInit =>
  token ? { headers: { 'if-consistent-with': token } } : {};
const pro = () => `/v1/pros/${encodeURIComponent(state.proId)}`;

function claims(): { roles?: unknown; clientId?: string } {
  try {
    const payload = state.token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload));
  } catch {
    return {};
  }
}

/** A client sees only free slots and its own bookings, and books only for itself. */
function isClientOnly(): boolean {
  const { roles } = claims();
  return Array.isArray(roles) && roles.includes('client') && roles.every((r) => r === 'client');
}

function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// ---- messages -----------------------------------------------------------------------------

function showProblem(box: HTMLElement, error: unknown): void {
  box.replaceChildren();
  if (!error) {
    box.hidden = true;
    return;
  }
  const problem: ProblemDetails =
    error instanceof Problem ? error.problem : { title: String(error) };
  box.append(el('strong', {}, problem.title ?? 'Something went wrong'));
  if (problem.detail) box.append(el('span', {}, problem.detail));
  if (Array.isArray(problem.errors) && problem.errors.length) {
    box.append(
      el('ul', {}, ...problem.errors.map((e) => el('li', {}, `${e.field}: ${e.message}`))),
    );
  }
  box.hidden = false;
}

function setLive(mode: 'off' | 'live' | 'retrying', text: string): void {
  const live = $('live');
  live.dataset.state = mode;
  live.textContent = text;
}

// ---- loading and drawing the week ---------------------------------------------------------

/** Asks the availability service for an hour: its answer names the Pro's time zone. */
async function learnZone() {
  const now = Date.now();
  const answer = await call<AvailabilityAnswer>(
    '',
    `${pro()}/availability?${q({
      serviceId: state.serviceId,
      from: new Date(now).toISOString(),
      to: new Date(now + 3_600_000).toISOString(),
    })}`,
  );
  state.zone = answer.timeZone;
}

async function load() {
  const ticket = ++state.loadTicket;
  const week = $('week');
  week.setAttribute('aria-busy', 'true');
  try {
    if (!state.zone) await learnZone();
    const monday = shownMonday();
    state.days = Array.from({ length: 8 }, (_, i) => localMidnight(monday + i * DAY_MS));
    const range = {
      from: new Date(state.days[0]).toISOString(),
      to: new Date(state.days[7]).toISOString(),
    };
    const token = state.consistencyToken;
    // A client is not asked for what it may not see: the Pro's hours, busy time and calendars.
    const client = isClientOnly();
    const notes = client ? ['You see the free slots only: pick one to book it for yourself'] : [];
    const [availability, windows, busy, bookings, sync] = await Promise.all([
      call<AvailabilityAnswer>(
        '',
        `${pro()}/availability?${q({ serviceId: state.serviceId, ...range })}`,
        consistent(token),
      ),
      client
        ? null
        : call<WindowsAnswer>(
            '',
            `${pro()}/working-windows?${q({ serviceId: state.serviceId, ...range })}`,
            consistent(token),
          ),
      client ? null : call<BusyAnswer>('', `${pro()}/busy?${q(range)}`, consistent(token)),
      // Without the booking service the week still shows, with bookings as busy time.
      call<{ items: Booking[]; error?: unknown }>(
        state.bookingUrl,
        `/v1/bookings?${q({ proId: state.proId, ...range, limit: '500' })}`,
      ).catch((error: unknown) => ({ items: [], error })),
      // Without the sync service the week still shows, with calendars unnamed.
      client
        ? ({ calendars: [] } as SyncStatus)
        : call<SyncStatus>(state.syncUrl, `${pro()}/sync-status`).catch(
            (error: unknown): SyncStatus => ({ calendars: [], error }),
          ),
    ]);
    if (ticket !== state.loadTicket) return;
    if (state.consistencyToken === token) state.consistencyToken = '';
    showProblem($('problem'), bookings.error);
    render({
      slots: availability.slots,
      sources: availability.sources,
      blocked: availability.blockedByStaleSource,
      windows: windows?.windows ?? [],
      busy: busy?.intervals ?? [],
      bookings: bookings.items.filter((b) => b.status === 'held' || b.status === 'confirmed'),
      calendars: new Map(sync.calendars.map((c) => [c.calendarId, c])),
      syncError: sync.error,
      notes,
    });
  } catch (error) {
    if (ticket === state.loadTicket) showProblem($('problem'), error);
  } finally {
    if (ticket === state.loadTicket) week.setAttribute('aria-busy', 'false');
  }
}

function scheduleReload(delayMs: number): void {
  clearTimeout(state.reloadTimer);
  state.reloadTimer = setTimeout(load, delayMs);
}

const KIND_LABELS: Record<string, string> = {
  external: 'External calendar',
  booking: 'Booking',
  hold: 'Hold',
  absence: 'Absent',
  holiday: 'Public holiday',
};

/** Everything to draw, as intervals with what each one is; bookings once, richest first. */
function entriesOf(data: Week): Entry[] {
  const entries: Entry[] = [];
  const add = (
    type: EntryType,
    item: { start: string; end: string },
    attrs: Attributes,
    heading: string,
  ) =>
    entries.push({
      type,
      start: Date.parse(item.start),
      end: Date.parse(item.end),
      item,
      attrs: { 'data-start': item.start, 'data-end': item.end, title: heading, ...attrs },
      heading,
    });
  for (const w of data.windows) add('window', w, { 'data-kind': 'window' }, 'Working hours');
  for (const b of data.bookings) {
    const who = b.client?.name ?? b.client?.clientId;
    const heading = `${b.status === 'held' ? 'Hold' : 'Booking'}${who ? ` · ${who}` : ''}`;
    const attrs = { 'data-booking-id': b.bookingId, 'data-status': b.status };
    add('booking', b, { 'data-kind': 'booking', ...attrs }, heading);
  }
  const listed = new Set<string | undefined>(data.bookings.map((b) => b.bookingId));
  for (const i of data.busy) {
    // The calendar by the name its owner gave it; an id means nothing to a person.
    const name = i.calendarId ? data.calendars.get(i.calendarId)?.name : undefined;
    const heading = `${KIND_LABELS[i.kind] ?? i.kind}${name ? ` · ${name}` : ''}`;
    if (i.kind !== 'booking' && i.kind !== 'hold') {
      add('busy', i, { 'data-kind': i.kind, 'data-source': i.calendarId }, heading);
    } else if (!listed.has(i.bookingId)) {
      const status = i.kind === 'hold' ? 'held' : 'confirmed';
      const attrs = { 'data-booking-id': i.bookingId, 'data-status': status };
      add('booking', i, { 'data-kind': 'booking', ...attrs }, heading);
    }
  }
  for (const slot of data.slots) add('slot', slot, { 'data-kind': 'slot' }, 'Free');
  return entries;
}

/** The hours worth showing: everything but whole-day blocks, at least 08:00–18:00 if empty. */
function hourSpan(entries: readonly Entry[]): { first: number; last: number } {
  let first = DAY_MINUTES;
  let last = 0;
  for (const entry of entries) {
    for (const p of pieces(entry.start, entry.end)) {
      if (p.from === 0 && p.to === DAY_MINUTES) continue;
      first = Math.min(first, p.from);
      last = Math.max(last, p.to);
    }
  }
  if (first >= last) return { first: 8, last: 18 };
  return {
    first: Math.floor(first / 60),
    last: Math.max(Math.ceil(last / 60), Math.floor(first / 60) + 1),
  };
}

/** The smallest gap between slot starts: slot buttons are that tall. */
function slotStep(slots: readonly FreeSlot[]): number {
  const starts = slots.map((s) => Date.parse(s.start)).sort((a, b) => a - b);
  let step = 60;
  for (let i = 1; i < starts.length; i++) {
    const gap = (starts[i] - starts[i - 1]) / 60_000;
    if (gap > 0) step = Math.min(step, gap);
  }
  return Math.max(step, 5);
}

function render(data: Week): void {
  const entries = entriesOf(data);
  const { first, last } = hourSpan(entries);
  const total = (last - first) * 60;
  const step = slotStep(data.slots);
  const week = $('week');
  week.style.setProperty('--hours', String(last - first));
  week.style.setProperty('--hour-height', `${Math.max(48, Math.ceil((22 * 60) / step))}px`);

  const active = document.activeElement;
  const focused = active instanceof HTMLElement ? active.dataset.start : undefined;
  const todayStart = localMidnight(dateOf(Date.now()));
  const heads = state.days
    .slice(0, 7)
    .map((day) =>
      el(
        'div',
        { class: `day-head${day === todayStart ? ' today' : ''}`, 'aria-hidden': 'true' },
        shortDay(day),
      ),
    );
  const axis = el(
    'div',
    { class: 'axis', 'aria-hidden': 'true' },
    ...Array.from({ length: last - first }, (_, i) =>
      el(
        'span',
        { style: `top:${(i * 60 * 100) / total}%` },
        `${String(first + i).padStart(2, '0')}:00`,
      ),
    ),
  );
  const columns = state.days
    .slice(0, 7)
    .map((day) => el('ul', { class: 'day', 'aria-label': longDay(day) }));

  const place = (from: number, to: number) => {
    const top = Math.max(from - first * 60, 0);
    const bottom = Math.min(to - first * 60, total);
    return `top:${(top * 100) / total}%;height:${(Math.max(bottom - top, 0) * 100) / total}%`;
  };
  /** One list item per entry and day: a button for a free slot, a labelled block otherwise. */
  const item = (entry: Entry, p: Piece) => {
    const when = span(entry.start, entry.end);
    if (entry.type === 'slot') {
      const button = el(
        'button',
        {
          type: 'button',
          class: 'slot',
          style: place(p.from, p.from + Math.min(step, p.to - p.from)),
          'data-start': entry.item.start,
          'aria-label': `Book ${longDay(entry.start)}, ${when}`,
          onclick: () => openBooking(entry.item),
        },
        time(entry.start),
      );
      return el('li', { 'data-kind': 'slot' }, button);
    }
    const style = place(p.from, p.to);
    const label =
      entry.type === 'window'
        ? [el('span', { class: 'sr-only' }, `${entry.heading} ${when}`)]
        : [el('strong', {}, entry.heading), when];
    return el('li', { class: `block ${entry.type}`, style, ...entry.attrs }, ...label);
  };
  const order: Record<EntryType, number> = { window: 0, busy: 1, booking: 2, slot: 3 };
  // Time order for reading; the style sheet stacks the kinds.
  entries.sort((a, b) => a.start - b.start || order[a.type] - order[b.type]);
  for (const entry of entries) {
    const parts = pieces(entry.start, entry.end);
    // A slot is picked by its start, so only its first day shows it.
    for (const p of entry.type === 'slot' ? parts.slice(0, 1) : parts)
      columns[p.day].append(item(entry, p));
  }

  const corner = el('div', { class: 'day-head', 'aria-hidden': 'true' });
  week.replaceChildren(corner, ...heads, axis, ...columns);
  if (!entries.length) {
    week.append(
      el('p', { class: 'empty' }, 'Nothing this week: no working hours, bookings or free slots.'),
    );
  }
  if (focused) week.querySelector<HTMLElement>(`[data-start="${CSS.escape(focused)}"]`)?.focus();

  $('week-title').textContent =
    `${longDay(state.days[0])} – ${longDay(state.days[6])} · times in ${state.zone}`;
  renderSources(data);
}

const synced = (at: string | null) =>
  at ? `synced ${shortDay(Date.parse(at))} ${time(Date.parse(at))}` : 'never synced';

/** Every calendar the page knows of: the sync service's by name, then any only availability has. */
function calendarsOf(
  data: Week,
): { calendarId: string; name: string; lastSyncedAt: string | null }[] {
  const known = [...data.calendars.values()];
  const unnamed = data.sources
    .filter((s) => !data.calendars.has(s.calendarId))
    .map((s) => ({
      calendarId: s.calendarId,
      name: 'Unnamed calendar',
      lastSyncedAt: s.lastSyncedAt,
    }));
  return [...known, ...unnamed];
}

type SyncProblemKind =
  'reauth_required' | 'disabled' | 'failing' | 'paused' | 'unreadable' | 'stale';

/** What keeps each calendar from being read, worst first, in words a Pro can act on. */
function syncProblems(data: Week): { calendarId: string; kind: SyncProblemKind; text: string }[] {
  const found: { calendarId: string; kind: SyncProblemKind; text: string }[] = [];
  for (const c of data.calendars.values()) {
    const add = (kind: SyncProblemKind, text: string) =>
      found.push({ calendarId: c.calendarId, kind, text: `${c.name}: ${text}` });
    if (c.state === 'reauth_required')
      add(
        'reauth_required',
        'needs sign-in again. The provider refused it; nothing syncs until the calendar is connected again.',
      );
    if (c.state === 'disabled')
      add('disabled', 'no longer found at the provider; it is not synced.');
    if (c.state === 'degraded')
      add(
        'failing',
        `syncing fails and is being retried${c.lastError ? ` (${c.lastError})` : ''}.`,
      );
    if (c.paused) add('paused', 'sync is paused.');
    if (c.problemCount > 0) {
      const shown = c.problems
        .slice(0, 3)
        .map((p) => `${p.line === null ? '' : `line ${p.line}: `}${p.reason}`)
        .join('; ');
      add(
        'unreadable',
        `${c.problemCount} ${c.problemCount === 1 ? 'event' : 'events'} could not be read (${shown}).`,
      );
    }
  }
  for (const source of data.sources.filter((s) => s.stale)) {
    const name = data.calendars.get(source.calendarId)?.name ?? 'Unnamed calendar';
    found.push({
      calendarId: source.calendarId,
      kind: 'stale',
      text: `${name}: stale, ${synced(source.lastSyncedAt)}; its busy time may be missing.`,
    });
  }
  return found;
}

function renderSources(data: Week): void {
  const line = $('sources');
  line.replaceChildren();
  // A client learns nothing of the Pro's calendars, not even how many there are.
  const parts = isClientOnly()
    ? []
    : calendarsOf(data).map((c) =>
        el('span', { 'data-calendar-id': c.calendarId }, `${c.name}: ${synced(c.lastSyncedAt)}`),
      );
  if (parts.length) line.append('Calendars — ', ...parts.flatMap((p, i) => (i ? [' · ', p] : [p])));
  if (data.blocked)
    line.append(el('span', { class: 'stale' }, ' No slots are offered while a calendar is stale.'));
  for (const note of data.notes) line.append(el('span', {}, ` ${note}.`));
  renderSyncProblems(data);
}

function renderSyncProblems(data: Week): void {
  const box = $('sync-problems');
  const problems = isClientOnly() ? [] : syncProblems(data);
  const items = problems.map((p) =>
    el('li', { 'data-problem': p.kind, 'data-calendar-id': p.calendarId }, p.text),
  );
  if (data.syncError) {
    const problem = data.syncError instanceof Problem ? data.syncError.problem : {};
    items.push(
      el(
        'li',
        { 'data-problem': 'sync-status' },
        `The calendars' sync status could not be read: ${problem.title ?? String(data.syncError)}${problem.detail ? ` (${problem.detail})` : ''}.`,
      ),
    );
  }
  $('sync-problem-list').replaceChildren(...items);
  box.hidden = items.length === 0;
}

// ---- booking ------------------------------------------------------------------------------

function openBooking(slot: { start: string; end: string }): void {
  state.pending = { slot, key: newKey() };
  const who = claims();
  const forItself = isClientOnly();
  const remembered = JSON.parse(sessionStorage.getItem(CLIENT_KEY) ?? '{}') as {
    clientId?: string;
    name?: string;
  };
  const clientId = input('client-id');
  clientId.value = forItself ? (who.clientId ?? '') : (remembered.clientId ?? '');
  clientId.readOnly = forItself;
  input('client-name').value = remembered.name ?? '';
  describePending();
  button('book-confirm').disabled = false;
  showProblem($('book-problem'), null);
  $('alternatives').replaceChildren();
  $('alternatives').hidden = true;
  dialog().showModal();
  (clientId.value ? input('client-name') : clientId).focus();
}

function describePending(): void {
  if (!state.pending) return;
  const { start, end } = state.pending.slot;
  $('book-when').textContent =
    `${longDay(Date.parse(start))}, ${span(Date.parse(start), Date.parse(end))} (${state.zone}) · ${state.serviceId} with ${state.proId}`;
}

async function book(): Promise<void> {
  if (!state.pending) return;
  const confirm = button('book-confirm');
  const client: { clientId: string; name?: string } = {
    clientId: input('client-id').value.trim(),
    name: input('client-name').value.trim(),
  };
  if (!client.name) delete client.name;
  sessionStorage.setItem(CLIENT_KEY, JSON.stringify(client));
  confirm.disabled = true;
  let taken = false;
  try {
    const booked = await call<Booking>(state.bookingUrl, '/v1/bookings', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': state.pending.key },
      body: JSON.stringify({
        serviceId: state.serviceId,
        proId: state.proId,
        start: state.pending.slot.start,
        client,
      }),
    });
    dialog().close();
    const start = Date.parse(booked.start);
    $('notice').textContent =
      `${booked.status === 'held' ? 'Held' : 'Booked'}: ${longDay(start)}, ${span(start, Date.parse(booked.end))} (booking ${booked.bookingId}).`;
    scheduleReload(0);
  } catch (error) {
    // A taken slot stays taken: only its alternatives are worth a click.
    taken = error instanceof Problem && error.status === 409;
    showProblem($('book-problem'), error);
    offerAlternatives(error);
  } finally {
    confirm.disabled = taken;
  }
}

function offerAlternatives(error: unknown): void {
  const box = $('alternatives');
  const alternatives = error instanceof Problem ? error.problem.alternatives : undefined;
  box.replaceChildren();
  if (!Array.isArray(alternatives) || alternatives.length === 0) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  box.append(el('p', {}, 'Free nearby:'));
  for (const alternative of alternatives.slice(0, 6)) {
    const start = Date.parse(alternative.start);
    const end = Date.parse(alternative.end);
    box.append(
      el(
        'button',
        {
          type: 'button',
          'data-start': alternative.start,
          'aria-label': `Book ${longDay(start)}, ${span(start, end)} instead`,
          onclick: () => {
            state.pending = { slot: alternative, key: newKey() };
            describePending();
            void book();
          },
        },
        `${shortDay(start)} ${span(start, end)}`,
      ),
    );
  }
  scheduleReload(0);
}

// ---- live updates -------------------------------------------------------------------------

/**
 * EventSource cannot send an Authorization header, so the stream is read with fetch. Each
 * `availability.changed` touching the shown week redraws it; a dropped stream reconnects
 * with Last-Event-ID, so changes made meanwhile still arrive.
 */
async function watch(): Promise<void> {
  state.stream?.abort();
  const controller = new AbortController();
  state.stream = controller;
  let retryMs = 3000;
  let failed = false;
  while (!controller.signal.aborted) {
    try {
      const headers: Record<string, string> = {
        authorization: `Bearer ${state.token}`,
        accept: 'text/event-stream',
      };
      if (state.lastEventId) headers['last-event-id'] = state.lastEventId;
      const response = await fetch(
        `${pro()}/availability/stream?${q({ serviceId: state.serviceId })}`,
        { headers, signal: controller.signal, cache: 'no-store' },
      );
      if (response.status === 401 || response.status === 403 || response.status === 404) {
        const problem = (await response.json().catch(() => ({}))) as ProblemDetails;
        setLive('off', `No live updates: ${problem.title ?? response.status}`);
        return;
      }
      if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
      setLive('live', 'Live');
      if (failed) scheduleReload(0);
      failed = false;
      await readEvents(response.body, controller.signal, (event) => {
        if (event.retry) retryMs = event.retry;
        if (event.id) state.lastEventId = event.id;
        if (event.event === 'availability.changed') changed(event.data);
      });
    } catch {
      if (controller.signal.aborted) return;
    }
    failed = true;
    setLive('retrying', 'Reconnecting…');
    await new Promise((resolve) => setTimeout(resolve, retryMs));
  }
}

function changed(data: string): void {
  let change: { from: string; to: string };
  try {
    change = JSON.parse(data);
  } catch {
    return;
  }
  if (!state.days.length) return;
  const touches = Date.parse(change.from) < state.days[7] && Date.parse(change.to) > state.days[0];
  setLive('live', `Live · changed at ${time(Date.now())}`);
  if (touches) scheduleReload(150);
}

/** The text/event-stream format (HTML § 9.2.6): fields per line, an empty line ends an event. */
async function readEvents(
  body: ReadableStream<Uint8Array>,
  signal: AbortSignal,
  onEvent: (event: StreamEvent) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let event: Omit<StreamEvent, 'data'> & { data: string[] } = { data: [] };
  signal.addEventListener('abort', () => reader.cancel().catch(() => undefined));
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '') {
        if (event.data.length || event.event) onEvent({ ...event, data: event.data.join('\n') });
        event = { data: [] };
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') event.data.push(value);
      else if (field === 'event') event.event = value;
      else if (field === 'id') event.id = value;
      else if (field === 'retry' && /^\d+$/.test(value)) event.retry = Number(value);
    }
  }
}

// ---- start --------------------------------------------------------------------------------

/** Token, Pro and service from the fragment; the token then leaves the address bar. */
function readFragment(): void {
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get('token');
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  params.delete('token');
  history.replaceState(null, '', `${location.pathname}${location.search}#${params}`);
  input('token').value = token ?? sessionStorage.getItem(TOKEN_KEY) ?? '';
  input('pro-id').value = params.get('proId') ?? '';
  input('service-id').value = params.get('serviceId') ?? '';
  state.week = params.get('week') ?? '';
}

/** The fragment a reload or a shared link comes back to, without the token. */
function keepInFragment(): void {
  const params: Record<string, string> = { proId: state.proId, serviceId: state.serviceId };
  if (state.week) params.week = state.week;
  history.replaceState(null, '', `#${q(params)}`);
}

function start(): void {
  state.token = input('token').value.trim();
  const proId = input('pro-id').value.trim();
  const serviceId = input('service-id').value.trim();
  if (!state.token || !proId || !serviceId) {
    showProblem(
      $('problem'),
      new Problem({ title: 'Give a token, a Pro and a service to see a week.' }),
    );
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, state.token);
  state.stream?.abort();
  setLive('off', 'Not connected');
  if (proId !== state.proId) {
    state.zone = '';
    state.lastEventId = '';
    for (const id of ['week', 'sources', 'week-title', 'sync-problem-list'])
      $(id).replaceChildren();
    $('sync-problems').hidden = true;
  }
  state.proId = proId;
  state.serviceId = serviceId;
  keepInFragment();
  void load().then(() => {
    if (state.zone) void watch();
  });
}

async function main(): Promise<void> {
  const config = (await fetch('/ui/config.json')
    .then((r) => r.json())
    .catch(() => ({}))) as { bookingUrl?: string; syncUrl?: string };
  const peer = (url: string | undefined, port: number) =>
    String(url ?? `${location.protocol}//${location.hostname}:${port}`).replace(/\/$/, '');
  state.bookingUrl = peer(config.bookingUrl, 3104);
  state.syncUrl = peer(config.syncUrl, 3102);
  $('connect').addEventListener('submit', (e) => {
    e.preventDefault();
    start();
  });
  $('book-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void book();
  });
  $('book-cancel').addEventListener('click', () => dialog().close());
  const shift = (weeks: number) => () => {
    if (!state.zone) return;
    state.week = weeks === 0 ? '' : isoDate(shownMonday() + weeks * 7 * DAY_MS);
    keepInFragment();
    void load();
  };
  $('previous-week').addEventListener('click', shift(-1));
  $('this-week').addEventListener('click', shift(0));
  $('next-week').addEventListener('click', shift(1));
  const fromFragment = () => {
    readFragment();
    if (input('token').value && input('pro-id').value && input('service-id').value) start();
    else input('token').focus();
  };
  // A link followed while the page is open changes only the fragment.
  window.addEventListener('hashchange', fromFragment);
  fromFragment();
}

void main();
