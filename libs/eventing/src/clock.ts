import { v7 as uuidv7 } from 'uuid';

/** The one way code reads the current time; services get it injected as `CLOCK`. */
export interface Clock {
  now(): Date;
}

/** Nest injection token of the service's `Clock` (provided by `EventingModule`). */
export const CLOCK = Symbol('CLOCK');

/** The machine's clock: the only place that reads it (ESLint forbids it elsewhere). */
export const systemClock: Clock = { now: () => new Date() };

export const newId = (): string => uuidv7();
