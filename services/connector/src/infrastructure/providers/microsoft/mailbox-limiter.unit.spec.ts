import { describe, expect, it } from '@jest/globals';
import { MailboxLimiter } from './mailbox-limiter';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('MailboxLimiter', () => {
  it('lets at most the limit run per mailbox, in arrival order, and mailboxes apart', async () => {
    const limiter = new MailboxLimiter(2);
    const running = new Map<string, number>();
    const peak = new Map<string, number>();
    const started: string[] = [];
    const releases: Array<() => void> = [];
    const job = (mailbox: string, name: string) =>
      limiter.run(mailbox, async () => {
        started.push(name);
        running.set(mailbox, (running.get(mailbox) ?? 0) + 1);
        peak.set(mailbox, Math.max(peak.get(mailbox) ?? 0, running.get(mailbox)!));
        await new Promise<void>((release) => releases.push(release));
        running.set(mailbox, running.get(mailbox)! - 1);
        return name;
      });
    const jobs = ['a1', 'a2', 'a3', 'a4', 'b1'].map((name) => job(name[0]!, name));
    await tick();
    expect(started).toEqual(['a1', 'a2', 'b1']);
    while (releases.length > 0) {
      releases.shift()!();
      await tick();
    }
    expect(await Promise.all(jobs)).toEqual(['a1', 'a2', 'a3', 'a4', 'b1']);
    expect(started).toEqual(['a1', 'a2', 'b1', 'a3', 'a4']);
    expect(Object.fromEntries(peak)).toEqual({ a: 2, b: 1 });
  });

  it('frees the slot when the work fails', async () => {
    const limiter = new MailboxLimiter(1);
    await expect(limiter.run('m', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limiter.run('m', async () => 'next')).toBe('next');
  });
});
