import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Server } from 'node:net';
import { resolve } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { Mailbox } from './mail-catcher/mailbox';
import { listPage, messagePage } from './mail-catcher/pages';

/**
 * The demo's mail catcher: an SMTP server that accepts every message (nothing is relayed) and a
 * web view of what arrived, with the same as JSON at /api/messages for scripts and tests.
 */
const SMTP_PORT = Number(process.env.MAIL_CATCHER_SMTP_PORT ?? 1025);
const HTTP_PORT = Number(process.env.MAIL_CATCHER_HTTP_PORT ?? 1080);
const mailbox = new Mailbox(resolve(process.env.MAIL_CATCHER_DIR ?? 'tmp/mail-catcher'));

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  size: 25 * 1024 * 1024,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const from = session.envelope.mailFrom;
      mailbox.save(Buffer.concat(chunks), {
        receivedAt: new Date().toISOString(),
        envelopeFrom: from ? from.address : null,
        envelopeTo: session.envelope.rcptTo.map((r) => r.address),
      });
      callback();
    });
  },
});

// Also re-emitted here for a failed listen, which main() reports.
smtp.on('error', (error) => console.error(`mail catcher: ${error.message}`));

async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  const send = (status: number, type: string, body: string | Buffer) => {
    response.writeHead(status, { 'content-type': type });
    response.end(body);
  };
  const json = (status: number, body: unknown) =>
    send(status, 'application/json', JSON.stringify(body));
  if (request.method === 'DELETE' && path === '/api/messages') {
    mailbox.clear();
    return json(200, { deleted: true });
  }
  if (request.method !== 'GET') return json(405, { error: 'method not allowed' });
  if (path === '/') return send(200, 'text/html; charset=utf-8', listPage(await mailbox.list()));
  if (path === '/api/messages') return json(200, await mailbox.list());
  const page = /^\/messages\/([\w-]+)$/.exec(path);
  const api = /^\/api\/messages\/([\w-]+)(\/raw)?$/.exec(path);
  const id = page?.[1] ?? api?.[1];
  if (id && api?.[2]) {
    const eml = mailbox.raw(id);
    return eml ? send(200, 'message/rfc822', eml) : json(404, { error: 'no such message' });
  }
  const mail = id ? await mailbox.detail(id) : null;
  if (mail && page) return send(200, 'text/html; charset=utf-8', messagePage(mail));
  if (mail) return json(200, mail);
  json(404, { error: 'not found' });
}

const http = createServer((request, response) => {
  route(request, response).catch((error: unknown) => {
    response.writeHead(500, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: String(error) }));
  });
});

const listen = (server: Server, port: number) =>
  new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', done);
  });

async function main() {
  await listen(smtp.server, SMTP_PORT);
  await listen(http, HTTP_PORT);
  console.log(
    `mail catcher: SMTP smtp://127.0.0.1:${SMTP_PORT}, web http://127.0.0.1:${HTTP_PORT}/`,
  );
  const stop = () => {
    http.close();
    smtp.close(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`mail catcher: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
