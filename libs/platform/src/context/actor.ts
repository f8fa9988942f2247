import { type Actor } from '@cs/contracts';
import { type Principal } from '../auth/principal';

export const ANONYMOUS_ACTOR: Readonly<Actor> = { kind: 'system', id: 'anonymous' };

/** The strongest role decides who the actor is: a token may carry several. */
export function actorFor(principal: Principal): Actor {
  if (principal.roles.includes('service')) return { kind: 'service', id: principal.sub };
  if (principal.roles.includes('pro') && principal.proId)
    return { kind: 'pro', id: principal.proId };
  if (principal.roles.includes('client') && principal.clientId) {
    return { kind: 'client', id: principal.clientId };
  }
  return { ...ANONYMOUS_ACTOR };
}
