import { type AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
  /** The name the sender gave in EHLO: tells which process sent it. */
  heloName: string;
  envelopeTo: string[];
  messageId: string | undefined;
  subject: string | undefined;
  text: string | undefined;
  html: string | undefined;
  /** The `text/calendar` part, if the mail carries an invitation. */
  calendar: { method: string | null; content: string } | undefined;
  parsed: ParsedMail;
  /** False when the sender was gone before the server acknowledged the message. */
  acknowledged: boolean;
}

export interface SmtpTestServerOptions {
  port?: number;
}

/**
 * A real SMTP server on loopback that keeps and parses what arrives. `pause()` holds every
 * message after its data has arrived and before it is acknowledged, to catch a sender mid-send.
 */
export class SmtpTestServer {
  readonly received: ReceivedMail[] = [];
  private readonly inFlight = new Set<string>();
  private readonly closed = new Set<string>();
  private gate: Promise<void> | null = null;
  private openGate: (() => void) | null = null;

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(options: SmtpTestServerOptions = {}): Promise<SmtpTestServer> {
    const ref: { self?: SmtpTestServer } = {};
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        ref.self!.accept(stream, session).then(
          () => callback(),
          (error: Error) => callback(error),
        );
      },
      onClose(session) {
        ref.self?.closed.add(session.id);
      },
    });
    server.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const { port } = server.server.address() as AddressInfo;
    ref.self = new SmtpTestServer(server, port);
    return ref.self;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Messages the server acknowledged, i.e. delivered. */
  get delivered(): ReceivedMail[] {
    return this.received.filter((mail) => mail.acknowledged);
  }

  /** EHLO names of senders whose message is being held by `pause()`. */
  get held(): string[] {
    return [...this.inFlight];
  }

  pause(): void {
    if (this.gate) return;
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  resume(): void {
    this.openGate?.();
    this.gate = null;
    this.openGate = null;
  }

  async stop(): Promise<void> {
    this.resume();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async accept(stream: NodeJS.ReadableStream, session: SMTPServerSession): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
    const parsed = await simpleParser(Buffer.concat(chunks));
    const heloName = session.hostNameAppearsAs;
    if (this.gate) {
      this.inFlight.add(heloName);
      await this.gate;
      this.inFlight.delete(heloName);
    }
    this.received.push({
      heloName,
      envelopeTo: session.envelope.rcptTo.map((r) => r.address),
      messageId: parsed.messageId,
      subject: parsed.subject,
      text: parsed.text,
      html: typeof parsed.html === 'string' ? parsed.html : undefined,
      calendar: calendarPart(parsed),
      parsed,
      acknowledged: !this.closed.has(session.id),
    });
  }
}

function calendarPart(parsed: ParsedMail): ReceivedMail['calendar'] {
  const part = parsed.attachments.find((a) => a.contentType === 'text/calendar');
  if (!part) return undefined;
  const contentType = part.headers.get('content-type') as
    { params?: Record<string, string> } | undefined;
  const method = contentType?.params?.method?.toUpperCase() ?? null;
  return { method, content: part.content.toString('utf8') };
}
