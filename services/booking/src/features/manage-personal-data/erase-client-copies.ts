import { ERASED } from '@cs/contracts';

const CONTACT_FIELDS = ['name', 'email', 'phone'] as const;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The booking service's own copies in clear (a booking's or waitlist entry's details, a stored
 * answer to an idempotent request) with the client's contact details and address erased: wherever
 * an object names the client, its `client` fields and its `location.address` read `[erased]`.
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
  return {
    ...copy,
    client: erasedClient,
    ...(isObject(location) && typeof location.address === 'string'
      ? { location: { ...location, address: ERASED } }
      : {}),
  };
}
