import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';

export interface MailSummary {
  id: string;
  receivedAt: string;
  envelopeFrom: string | null;
  envelopeTo: string[];
  from: string;
  to: string;
  subject: string;
  /** The iTIP method of an attached invitation (REQUEST, CANCEL), if there is one. */
  calendarMethod: string | null;
}

export interface MailDetail extends MailSummary {
  messageId: string | null;
  text: string | null;
  html: string | null;
  calendar: string | null;
  attachments: Array<{ filename: string | null; contentType: string; size: number }>;
}

interface Envelope {
  id: string;
  receivedAt: string;
  envelopeFrom: string | null;
  envelopeTo: string[];
}

/**
 * Received mails as `.eml` files with their SMTP envelope beside them, so a restart of the demo
 * still shows the invitations of the bookings made before it.
 */
export class Mailbox {
  private readonly parsed = new Map<string, Promise<ParsedMail>>();
  private sequence = 0;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  save(raw: Buffer, envelope: Omit<Envelope, 'id'>): string {
    const id = `${envelope.receivedAt.replace(/[^0-9]/g, '')}-${(this.sequence++).toString().padStart(4, '0')}`;
    writeFileSync(join(this.dir, `${id}.eml`), raw);
    writeFileSync(join(this.dir, `${id}.json`), JSON.stringify({ id, ...envelope }));
    return id;
  }

  /** Newest first. */
  async list(): Promise<MailSummary[]> {
    const ids = this.ids().reverse();
    return Promise.all(ids.map(async (id) => summary(this.envelope(id), await this.parse(id))));
  }

  async detail(id: string): Promise<MailDetail | null> {
    if (!this.ids().includes(id)) return null;
    const mail = await this.parse(id);
    return {
      ...summary(this.envelope(id), mail),
      messageId: mail.messageId ?? null,
      text: mail.text ?? null,
      html: typeof mail.html === 'string' ? mail.html : null,
      calendar: calendarPart(mail)?.content.toString('utf8') ?? null,
      attachments: mail.attachments.map((a) => ({
        filename: a.filename ?? null,
        contentType: a.contentType,
        size: a.size,
      })),
    };
  }

  raw(id: string): Buffer | null {
    return this.ids().includes(id) ? readFileSync(join(this.dir, `${id}.eml`)) : null;
  }

  clear(): void {
    for (const file of readdirSync(this.dir)) rmSync(join(this.dir, file));
    this.parsed.clear();
  }

  private ids(): string[] {
    return readdirSync(this.dir)
      .filter((file) => file.endsWith('.json'))
      .map((file) => file.slice(0, -'.json'.length))
      .sort();
  }

  private envelope(id: string): Envelope {
    return JSON.parse(readFileSync(join(this.dir, `${id}.json`), 'utf8')) as Envelope;
  }

  private parse(id: string): Promise<ParsedMail> {
    let mail = this.parsed.get(id);
    if (!mail) {
      mail = simpleParser(readFileSync(join(this.dir, `${id}.eml`)));
      this.parsed.set(id, mail);
    }
    return mail;
  }
}

function summary(envelope: Envelope, mail: ParsedMail): MailSummary {
  const contentType = calendarPart(mail)?.headers.get('content-type') as
    { params?: Record<string, string> } | undefined;
  return {
    ...envelope,
    from: mail.from?.text ?? '',
    to: addresses(mail.to),
    subject: mail.subject ?? '',
    calendarMethod: contentType?.params?.method?.toUpperCase() ?? null,
  };
}

const calendarPart = (mail: ParsedMail) =>
  mail.attachments.find((a) => a.contentType === 'text/calendar');

const addresses = (to: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(to) ? to : to ? [to] : []).map((a) => a.text).join(', ');
