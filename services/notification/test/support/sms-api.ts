import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

export interface ReceivedSms {
  accountSid: string;
  authorization: string | undefined;
  to: string;
  from: string;
  body: string;
}

/** A small Twilio-style Messages API on loopback; answers with `status` while one is set. */
export class SmsApi {
  readonly received: ReceivedSms[] = [];
  failWith: { status: number; code: number; message: string } | null = null;
  private count = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<SmsApi> {
    const ref: { self?: SmsApi } = {};
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += String(chunk)));
      req.on('end', () => ref.self!.handle(req.url ?? '', req.headers.authorization, body, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    ref.self = new SmsApi(server, `http://127.0.0.1:${port}`);
    return ref.self;
  }

  private handle(
    url: string,
    authorization: string | undefined,
    body: string,
    res: import('node:http').ServerResponse,
  ) {
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(url);
    res.setHeader('content-type', 'application/json');
    if (!match) return res.writeHead(404).end('{}');
    if (this.failWith) {
      const { status, code, message } = this.failWith;
      return res.writeHead(status).end(JSON.stringify({ code, message, status }));
    }
    const form = new URLSearchParams(body);
    this.received.push({
      accountSid: decodeURIComponent(match[1]!),
      authorization,
      to: form.get('To') ?? '',
      from: form.get('From') ?? '',
      body: form.get('Body') ?? '',
    });
    res.writeHead(201).end(JSON.stringify({ sid: `SM${++this.count}`, status: 'queued' }));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
