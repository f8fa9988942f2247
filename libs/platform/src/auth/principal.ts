import { type IncomingMessage } from 'node:http';
import { z } from 'zod';

export const ROLES = ['service', 'pro', 'client'] as const;
export type Role = (typeof ROLES)[number];

/** Who called, as proven by the bearer token. */
export interface Principal {
  sub: string;
  roles: Role[];
  proId?: string;
  clientId?: string;
}

const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

// Unknown roles are dropped rather than rejected: a shared identity provider may issue roles
// meant for other applications.
export const principalClaimsSchema = z
  .object({
    sub: z.string().min(1),
    roles: z.array(z.string()).transform((roles) => roles.filter(isRole)),
    proId: z.string().min(1).optional(),
    clientId: z.string().min(1).optional(),
  })
  .refine((claims) => !claims.roles.includes('pro') || claims.proId !== undefined, {
    message: 'A pro token must carry proId',
  })
  .refine((claims) => !claims.roles.includes('client') || claims.clientId !== undefined, {
    message: 'A client token must carry clientId',
  });

const principals = new WeakMap<IncomingMessage, Principal>();

export function attachPrincipal(req: IncomingMessage, principal: Principal): void {
  principals.set(req, principal);
}

/** The verified principal of a request, or undefined on a public route. */
export function principalOf(req: IncomingMessage): Principal | undefined {
  return principals.get(req);
}
