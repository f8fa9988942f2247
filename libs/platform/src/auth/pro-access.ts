import { type Principal } from './principal';
import { forbidden } from './auth-problems';

/** A service may act for every Pro; a Pro only for itself. Clients go through their own checks. */
export function canAccessPro(principal: Principal, proId: string): boolean {
  if (principal.roles.includes('service')) return true;
  return principal.roles.includes('pro') && principal.proId === proId;
}

export function assertCanAccessPro(principal: Principal, proId: string): void {
  if (!canAccessPro(principal, proId)) {
    throw forbidden(`This token may not act on Pro ${proId}.`);
  }
}
