import type { EventDefinition } from './event-definition';
import { availabilityEvents } from './events/availability';
import { bookingEvents } from './events/booking';
import { connectorEvents } from './events/connector';
import { notificationEvents } from './events/notification';
import { peopleEvents } from './events/people';
import { syncEvents } from './events/sync';
import { EventRegistry } from './registry';

export const allEventDefinitions: readonly EventDefinition[] = [
  ...availabilityEvents,
  ...bookingEvents,
  ...peopleEvents,
  ...connectorEvents,
  ...syncEvents,
  ...notificationEvents,
];

/** Every event of the system; a service validates what it publishes and consumes against it. */
export const eventRegistry = new EventRegistry(allEventDefinitions);
