import { type Clock } from '@cs/eventing';

/** A `Clock` the test sets and moves by hand, so what depends on the time happens when it says. */
export class ManualClock implements Clock {
  constructor(private current: number) {}

  now(): Date {
    return new Date(this.current);
  }

  set(instant: string | number): void {
    this.current = typeof instant === 'string' ? Date.parse(instant) : instant;
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
