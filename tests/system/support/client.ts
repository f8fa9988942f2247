import { CalendarClient, type CalendarClientOptions, SERVICE_NAMES } from '@cs/client';
import type { System } from '@cs/testing';

/**
 * The client package, as other CareService services use it, pointed at the system: each try
 * goes to the next ready instance of the service, as a load balancer would send it.
 */
export function systemClient(system: System, options: CalendarClientOptions = {}): CalendarClient {
  return new CalendarClient({
    baseUrls: Object.fromEntries(
      SERVICE_NAMES.map((service) => [service, () => system.url(service)]),
    ),
    ...options,
  });
}
