import { type Clock } from '@cs/eventing';

/** A clock the test moves by hand, so reminders fall due when the test says. */
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
