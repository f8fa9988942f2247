import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../free-port';
import { isListening } from '../infrastructure';

export type CalDavServerKind = 'radicale' | 'xandikos';

export interface CalDavServerOptions {
  /** Radicale only: require this user and password (htpasswd, plain). Xandikos has no auth. */
  credentials?: { username: string; password: string };
  /**
   * Radicale only: resources written straight into the starting calendar's storage folder
   * before the server starts, far faster than a PUT each (for benchmarks).
   */
  seed?: Array<{ name: string; ics: string }>;
}

export interface CalDavServerHandle {
  kind: CalDavServerKind;
  /** The server's root, where discovery starts. */
  url: string;
  username: string;
  password: string;
  /** A calendar collection that exists from the start. */
  calendarUrl: string;
  /** Creates another calendar collection (MKCALENDAR) and answers its URL. */
  createCalendar(name: string, displayName?: string): Promise<string>;
  authorization: string;
  /** Radicale with credentials only: the old password stops working at once; this handle uses the new one. */
  changePassword(password: string): void;
  /** A plain CalDAV client's PUT of one resource; answers its new ETag. */
  put(resourceUrl: string, ics: string): Promise<string | null>;
  /** The resource's text and ETag, or null when it does not exist. */
  get(resourceUrl: string): Promise<{ ics: string; etag: string | null } | null>;
  remove(resourceUrl: string): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}

/** Radicale or Xandikos from Debian's packages on a free loopback port with a temporary store. */
export async function startCalDavServer(
  kind: CalDavServerKind,
  options: CalDavServerOptions = {},
): Promise<CalDavServerHandle> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), `cs-${kind}-`));
  const username = options.credentials?.username ?? (kind === 'xandikos' ? 'user' : 'pro');
  let password = options.credentials?.password ?? 'secret';
  const command =
    kind === 'radicale' ? radicaleCommand(dir, port, options) : xandikosCommand(dir, port);
  const url = `http://127.0.0.1:${port}/`;
  const basic = () => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  let authorization = basic();
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn(command[0]!, command.slice(1), { stdio: 'ignore' });
    for (let i = 0; i < 150 && !(await isListening('127.0.0.1', port)); i++)
      await new Promise((r) => setTimeout(r, 100));
    if (!(await isListening('127.0.0.1', port)))
      throw new Error(`${kind} did not start on port ${port}`);
  };
  const stop = async () => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
    });
  };
  const createCalendar = async (name: string, displayName = name) => {
    const home = kind === 'radicale' ? `${url}${username}/` : `${url}user/calendars/`;
    const target = `${home}${name}/`;
    const response = await fetch(target, {
      method: 'MKCALENDAR',
      headers: { authorization, 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="utf-8"?><c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop><d:displayname>${displayName}</d:displayname></d:prop></d:set></c:mkcalendar>`,
    });
    if (response.status !== 201) throw new Error(`MKCALENDAR ${target}: ${response.status}`);
    return target;
  };

  const get = async (resourceUrl: string) => {
    const response = await fetch(resourceUrl, { headers: { authorization } });
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`GET ${resourceUrl}: ${response.status}`);
    return { ics: await response.text(), etag: response.headers.get('etag') };
  };

  if (options.seed) {
    if (kind !== 'radicale') throw new Error('only Radicale can be seeded through its storage');
    seedRadicale(join(dir, 'collections', 'collection-root', username, 'personal'), options.seed);
  }
  await start();
  const calendarUrl =
    kind === 'radicale'
      ? options.seed
        ? `${url}${username}/personal/`
        : await createCalendar('personal', 'Personal')
      : `${url}user/calendars/calendar/`;
  return {
    kind,
    url,
    username,
    get password() {
      return password;
    },
    calendarUrl,
    createCalendar,
    get authorization() {
      return authorization;
    },
    changePassword(next) {
      if (kind !== 'radicale' || !options.credentials)
        throw new Error('only a Radicale started with credentials checks passwords');
      password = next;
      authorization = basic();
      writeHtpasswd(dir, username, password);
    },
    async put(resourceUrl, ics) {
      const response = await fetch(resourceUrl, {
        method: 'PUT',
        headers: { authorization, 'content-type': 'text/calendar; charset=utf-8' },
        body: ics,
      });
      if (response.status >= 300) throw new Error(`PUT ${resourceUrl}: ${response.status}`);
      return response.headers.get('etag') ?? (await get(resourceUrl))?.etag ?? null;
    },
    get,
    async remove(resourceUrl) {
      const response = await fetch(resourceUrl, { method: 'DELETE', headers: { authorization } });
      if (response.status >= 300 && response.status !== 404)
        throw new Error(`DELETE ${resourceUrl}: ${response.status}`);
    },
    start,
    stop,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function radicaleCommand(dir: string, port: number, options: CalDavServerOptions): string[] {
  const auth = options.credentials
    ? [
        'type = htpasswd',
        `htpasswd_filename = ${join(dir, 'users')}`,
        'htpasswd_encryption = plain',
        'delay = 0',
      ]
    : ['type = none'];
  if (options.credentials)
    writeHtpasswd(dir, options.credentials.username, options.credentials.password);
  const config = join(dir, 'config');
  writeFileSync(
    config,
    [
      '[server]',
      `hosts = 127.0.0.1:${port}`,
      '[auth]',
      ...auth,
      '[storage]',
      `filesystem_folder = ${join(dir, 'collections')}`,
      '[logging]',
      'level = warning',
      '',
    ].join('\n'),
  );
  return ['/usr/bin/radicale', '-C', config];
}

/** Radicale's filesystem storage: a folder per collection, its properties in `.Radicale.props`. */
function seedRadicale(folder: string, items: Array<{ name: string; ics: string }>): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, '.Radicale.props'),
    JSON.stringify({ tag: 'VCALENDAR', 'D:displayname': 'Personal' }),
  );
  for (const item of items) writeFileSync(join(folder, item.name), item.ics);
}

/** Radicale reads the file on every login, so a change applies to the next request. */
function writeHtpasswd(dir: string, username: string, password: string): void {
  writeFileSync(join(dir, 'users'), `${username}:${password}\n`);
}

function xandikosCommand(dir: string, port: number): string[] {
  return [
    '/usr/bin/xandikos',
    '-d',
    join(dir, 'store'),
    '--defaults',
    '-l',
    '127.0.0.1',
    '-p',
    String(port),
  ];
}
