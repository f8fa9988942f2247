import { inClientSpan } from '@cs/eventing';
import { createTransport, type Transporter } from 'nodemailer';
import SMTPPool from 'nodemailer/lib/smtp-pool';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The same on every attempt, so a repeat after a crash is recognised as one message. */
  messageId: string;
  invitation?: { method: 'REQUEST' | 'CANCEL'; ics: string };
}

/** Thrown when delivery failed; `permanent` when the server refused the message itself (5xx). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** Email over SMTP with nodemailer; an invitation goes as a `text/calendar; method=…` part. */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;
  /** Where mail goes, as spans name it: host and port only, never the URL's credentials. */
  private readonly server: { 'server.address': string; 'server.port': number };

  constructor(
    smtpUrl: string,
    private readonly from: string,
    /** The EHLO name, which tells receiving servers (and tests) which instance is sending. */
    heloName: string,
    /** Open connections kept for reuse: a new one per message costs a handshake each time. */
    connections: number,
  ) {
    const url = new URL(smtpUrl);
    const secure = url.protocol === 'smtps:';
    this.server = {
      'server.address': url.hostname,
      'server.port': Number(url.port) || (secure ? 465 : 587),
    };
    // The transport itself, not `createTransport(url, …)`: that takes its second argument as
    // message defaults and would drop the EHLO name and timeouts.
    this.transport = createTransport(
      new SMTPPool({
        pool: true,
        url: smtpUrl,
        name: heloName,
        maxConnections: connections,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      }),
    );
  }

  async send(mail: OutgoingMail): Promise<void> {
    try {
      await inClientSpan('smtp send', { ...this.server, 'network.protocol.name': 'smtp' }, () =>
        this.transport.sendMail({
          from: this.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: mail.messageId,
          ...(mail.invitation
            ? {
                icalEvent: {
                  method: mail.invitation.method,
                  filename: mail.invitation.method === 'CANCEL' ? 'cancel.ics' : 'invite.ics',
                  content: mail.invitation.ics,
                },
              }
            : {}),
        }),
      );
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      throw new DeliveryError(
        error instanceof Error ? error.message : String(error),
        code !== undefined && code >= 500 && code < 600,
      );
    }
  }

  close(): void {
    this.transport.close();
  }
}
