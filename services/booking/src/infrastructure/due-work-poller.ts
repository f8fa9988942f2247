import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';

/**
 * Looks for work that has fallen due (expired holds, unanswered offers) at a fixed interval.
 * The due work is found in tables, not timers, so what fell due while no instance was running
 * is done at the next start. One poll at a time; shutdown waits for the poll under way.
 */
export abstract class DueWorkPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  protected constructor(
    private readonly work: { name: string; description: string; intervalMs: () => number },
  ) {
    this.logger = new Logger(work.name);
  }

  /** Does the work due at the clock's `now`. */
  protected abstract poll(): Promise<void>;

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.tick().finally(() => (this.running = undefined));
    }, this.work.intervalMs());
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async tick(): Promise<void> {
    try {
      await this.poll();
    } catch (error) {
      this.logger.warn({
        msg: `${this.work.description} failed; trying again`,
        error: String(error),
      });
    }
  }
}
