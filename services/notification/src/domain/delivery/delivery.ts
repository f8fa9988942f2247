/** What a notification is and where it stands; one row of the delivery queue per message to one person. */
export type NotificationKind = 'invitation' | 'update' | 'cancellation' | 'reminder' | 'alert';
export type Channel = 'email' | 'sms';
export type RecipientKind = 'pro' | 'client';
export type NotificationStatus = 'scheduled' | 'sent' | 'failed' | 'cancelled';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export type AfterFailure = { final: true } | { final: false; nextAttemptAt: number };

/**
 * After the n-th failed attempt: try again later with exponential backoff, or give up. A
 * permanent error (an address the provider refuses) gives up at once, so it blocks nothing else.
 */
export function afterFailure(
  attempt: number,
  permanent: boolean,
  now: number,
  policy: RetryPolicy,
): AfterFailure {
  if (permanent || attempt >= policy.maxAttempts) return { final: true };
  const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return { final: false, nextAttemptAt: now + delay };
}

/** The Message-ID of a notification: the same on every attempt, so a repeat is recognised downstream. */
export const messageIdOf = (notificationId: string, domain: string): string =>
  `<${notificationId}@${domain}>`;
