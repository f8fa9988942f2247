import { type LoggerService } from '@nestjs/common';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Nest's shutdown hooks close the app on a signal; if that stalls (a stuck consumer, a
 * request that never ends) the process still has to go before the orchestrator kills it.
 */
export function exitIfShutdownStalls(timeoutMs: number, logger: LoggerService): void {
  for (const signal of SIGNALS) {
    process.once(signal, () => {
      setTimeout(() => {
        logger.error(`Shutdown did not finish within ${timeoutMs} ms; exiting`, 'Shutdown');
        process.exit(1);
      }, timeoutMs).unref();
    });
  }
}

/** Sends what is buffered (spans) while the app drains, before the process ends. */
export function flushOnShutdownSignal(flush: () => Promise<void>): void {
  for (const signal of SIGNALS) process.once(signal, () => void flush().catch(() => undefined));
}
