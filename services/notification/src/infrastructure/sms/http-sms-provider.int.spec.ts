import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SmsApi } from '../../../test/support/sms-api';
import { DeliveryError } from '../mail/mailer';
import { HttpSmsProvider } from './http-sms-provider';

let api: SmsApi;
let provider: HttpSmsProvider;

beforeAll(async () => {
  api = await SmsApi.start();
  provider = new HttpSmsProvider({
    baseUrl: api.url,
    accountSid: 'AC123',
    authToken: 'secret',
    from: '+3197010000000',
  });
});
afterAll(() => api.stop());

describe('HttpSmsProvider against a Twilio-style API', () => {
  it('posts the message as a form with basic auth and returns the provider id', async () => {
    const result = await provider.send({ to: '+31612345678', body: 'Hallo', idempotencyKey: 'k1' });
    expect(result.providerMessageId).toMatch(/^SM\d+$/);
    expect(api.received.at(-1)).toEqual({
      accountSid: 'AC123',
      authorization: `Basic ${Buffer.from('AC123:secret').toString('base64')}`,
      to: '+31612345678',
      from: '+3197010000000',
      body: 'Hallo',
    });
  });

  it('treats a refused number as final and a server error or 429 as worth another try', async () => {
    const attempt = async (status: number) => {
      api.failWith = { status, code: 21211, message: 'nope' };
      try {
        await provider.send({ to: '+31612345678', body: 'x', idempotencyKey: 'k2' });
        throw new Error('expected a failure');
      } catch (error) {
        expect(error).toBeInstanceOf(DeliveryError);
        return (error as DeliveryError).permanent;
      } finally {
        api.failWith = null;
      }
    };
    expect(await attempt(400)).toBe(true);
    expect(await attempt(429)).toBe(false);
    expect(await attempt(503)).toBe(false);
  });
});
