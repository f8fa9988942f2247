import { systemClock } from '@cs/eventing';

/** Where the service reads the time; commands get it as `now`. */
export const CLOCK = Symbol('CLOCK');

export const clockProvider = { provide: CLOCK, useValue: systemClock };
