export interface OutgoingSms {
  /** E.164. */
  to: string;
  body: string;
  /** The same on every attempt, for providers that deduplicate. */
  idempotencyKey: string;
}

/** The one thing this service asks of an SMS provider. */
export interface SmsProvider {
  send(sms: OutgoingSms): Promise<{ providerMessageId: string }>;
}
