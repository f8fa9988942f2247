import { DeliveryError } from '../mail/mailer';
import { type OutgoingSms, type SmsProvider } from './sms-provider';

export interface HttpSmsOptions {
  /** e.g. `https://api.twilio.com`. */
  baseUrl: string;
  accountSid: string;
  authToken: string;
  from: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * Twilio's Messages API: a form POST to `/2010-04-01/Accounts/{sid}/Messages.json` with basic
 * auth. A 4xx (other than 429) is the message's fault and final; 429 and 5xx are tried again.
 */
export class HttpSmsProvider implements SmsProvider {
  constructor(private readonly options: HttpSmsOptions) {}

  async send(sms: OutgoingSms): Promise<{ providerMessageId: string }> {
    const { baseUrl, accountSid, authToken, from } = this.options;
    const url = new URL(
      `/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`,
      baseUrl,
    );
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(url, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
          'i-twilio-idempotency-token': sms.idempotencyKey,
        },
        body: new URLSearchParams({ To: sms.to, From: from, Body: sms.body }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new DeliveryError(`SMS provider unreachable: ${(error as Error).message}`, false);
    }
    const body = (await response.json().catch(() => ({}))) as {
      sid?: string;
      message?: string;
      code?: number;
    };
    if (!response.ok) {
      const permanent = response.status >= 400 && response.status < 500 && response.status !== 429;
      throw new DeliveryError(
        `SMS provider answered ${response.status}${body.code ? ` (${body.code})` : ''}: ${body.message ?? ''}`.trim(),
        permanent,
      );
    }
    if (!body.sid) throw new DeliveryError('SMS provider answered without a message sid', false);
    return { providerMessageId: body.sid };
  }
}
