/**
 * At most `limit` requests in flight per mailbox: Outlook answers the next one with 429
 * `ApplicationThrottled` ("4 concurrent requests per app per mailbox",
 * https://learn.microsoft.com/en-us/graph/throttling-limits#outlook-service-limits), so the
 * rest wait their turn here instead of spending a try.
 */
export class MailboxLimiter {
  private readonly mailboxes = new Map<string, { active: number; waiting: Array<() => void> }>();

  constructor(private readonly limit: number) {}

  async run<T>(mailbox: string, work: () => Promise<T>): Promise<T> {
    const slot = this.mailboxes.get(mailbox) ?? { active: 0, waiting: [] };
    this.mailboxes.set(mailbox, slot);
    if (slot.active >= this.limit) await new Promise<void>((turn) => slot.waiting.push(turn));
    else slot.active++;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line, so a newcomer cannot overtake it.
      const next = slot.waiting.shift();
      if (next) next();
      else if (--slot.active === 0) this.mailboxes.delete(mailbox);
    }
  }
}
