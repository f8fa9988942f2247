import { ERASED } from '@cs/contracts';

const CONTACT_FIELDS = ['name', 'email', 'phone'] as const;
/** The client's place: its coordinates as much as its address. */
const PLACE_FIELDS = ['lat', 'lng', 'address'] as const;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The booking service's own copies in clear (a booking's or waitlist entry's details, a stored
 * answer to an idempotent request) with the client's contact details and place erased: wherever
 * an object names the client, its `client` fields and its `location` (coordinates and address)
 * read `[erased]`.
 */
export function eraseClientCopies(value: unknown, clientId: string): unknown {
  if (Array.isArray(value)) return value.map((item) => eraseClientCopies(item, clientId));
  if (!isObject(value)) return value;
  const copy = Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, eraseClientCopies(item, clientId)]),
  );
  const client = copy.client;
  if (!isObject(client) || client.clientId !== clientId) return copy;
  const erasedClient = { ...client };
  for (const field of CONTACT_FIELDS) if (field in erasedClient) erasedClient[field] = ERASED;
  const location = copy.location;
  if (!isObject(location)) return { ...copy, client: erasedClient };
  const erasedPlace = { ...location };
  for (const field of PLACE_FIELDS) if (field in erasedPlace) erasedPlace[field] = ERASED;
  return { ...copy, client: erasedClient, location: erasedPlace };
}
