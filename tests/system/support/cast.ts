import { type CalDavServerHandle, startCalDavServer, type System } from '@cs/testing';
import {
  connectCalDav,
  type People,
  registerClient,
  setUpPro,
  setUpTerritory,
  waitForSlots,
} from './scenario';
import type { BookingClient, ProCalendar } from './traffic';

export interface Cast {
  calendars: Array<ProCalendar & { connectionId: string }>;
  /** The CalDAV servers started here (besides the system's own): the caller disposes of them. */
  ownCalDav: CalDavServerHandle[];
  clients: BookingClient[];
}

/**
 * The territory, the Pros with a connected CalDAV calendar each and the clients with contacts,
 * through the APIs; answers once availability offers every Pro's slots on `day`.
 */
export async function setUpCast(
  system: System,
  who: People,
  options: { pros: readonly string[]; clients: readonly string[]; day: string },
): Promise<Cast> {
  const cast: Cast = { calendars: [], ownCalDav: [], clients: [] };
  await setUpTerritory(system, who);
  for (const proId of options.pros) {
    await setUpPro(system, who, proId);
    // Each Pro has a CalDAV account of their own; the first uses the system's server.
    const caldav =
      cast.calendars.length === 0
        ? system.caldav
        : await startCalDavServer('radicale', {
            credentials: { username: proId, password: `pw-${proId}` },
          });
    if (caldav !== system.caldav) cast.ownCalDav.push(caldav);
    const { connectionId } = await connectCalDav(system, who, proId, {
      serverUrl: caldav.url,
      username: caldav.username,
      password: caldav.password,
    });
    cast.calendars.push({ proId, caldav, connectionId });
  }
  for (const clientId of options.clients) await registerClient(system, who, clientId);
  for (const proId of options.pros) await waitForSlots(system, who, proId, options.day);
  for (const clientId of options.clients)
    cast.clients.push({ clientId, token: await who.client(clientId) });
  return cast;
}
