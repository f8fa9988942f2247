import { describe, expect, it } from '@jest/globals';
import { actorFor } from '../context/actor';
import { ProblemException } from '../errors/problem';
import { type Principal } from './principal';
import { assertCanAccessPro, canAccessPro } from './pro-access';

const service: Principal = { sub: 'svc-booking', roles: ['service'] };
const pro: Principal = { sub: 'user-1', roles: ['pro'], proId: 'pro-1' };
const client: Principal = { sub: 'user-2', roles: ['client'], clientId: 'client-1' };

describe('Pro access', () => {
  it('lets a service act on every Pro', () => {
    expect(canAccessPro(service, 'pro-1')).toBe(true);
    expect(canAccessPro(service, 'pro-2')).toBe(true);
  });

  it('lets a Pro act only on itself', () => {
    expect(canAccessPro(pro, 'pro-1')).toBe(true);
    expect(canAccessPro(pro, 'pro-2')).toBe(false);
  });

  it('does not let a client act on a Pro', () => {
    expect(canAccessPro(client, 'pro-1')).toBe(false);
  });

  it('throws a 403 problem when refused', () => {
    expect(() => assertCanAccessPro(pro, 'pro-1')).not.toThrow();
    try {
      assertCanAccessPro(pro, 'pro-2');
      throw new Error('pro-2 was let through');
    } catch (error) {
      expect(error).toBeInstanceOf(ProblemException);
      expect((error as ProblemException).problem).toMatchObject({
        status: 403,
        title: 'Forbidden',
      });
    }
  });
});

describe('actorFor', () => {
  it('maps each role to the actor recorded on events', () => {
    expect(actorFor(service)).toEqual({ kind: 'service', id: 'svc-booking' });
    expect(actorFor(pro)).toEqual({ kind: 'pro', id: 'pro-1' });
    expect(actorFor(client)).toEqual({ kind: 'client', id: 'client-1' });
  });

  it('prefers service over pro over client', () => {
    expect(actorFor({ ...pro, roles: ['pro', 'service'] })).toEqual({
      kind: 'service',
      id: 'user-1',
    });
    expect(actorFor({ sub: 'u', roles: ['client', 'pro'], proId: 'p', clientId: 'c' })).toEqual({
      kind: 'pro',
      id: 'p',
    });
  });
});
