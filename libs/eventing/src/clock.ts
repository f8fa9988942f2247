import { v7 as uuidv7 } from 'uuid';

/** Time and ids enter through these, so tests and domain code can fix them. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const newId = (): string => uuidv7();
