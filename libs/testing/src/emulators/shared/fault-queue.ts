/** A fault a test asked for: the next matching requests answer this instead of their result. */
export interface Fault {
  status: number;
  /** Seconds, sent as `Retry-After`. */
  retryAfter?: number;
  /** The provider's error reason or code, e.g. `rateLimitExceeded` or `TooManyRequests`. */
  reason?: string;
  /** Hold the response this long before answering (with the fault, or normally if status is 0). */
  delayMs?: number;
}

/** Faults taken in order, one per API request, so a test can script a storm precisely. */
export class FaultQueue {
  private readonly pending: Fault[] = [];

  push(count: number, fault: Fault): void {
    for (let i = 0; i < count; i++) this.pending.push(fault);
  }

  take(): Fault | undefined {
    return this.pending.shift();
  }

  clear(): void {
    this.pending.length = 0;
  }
}
