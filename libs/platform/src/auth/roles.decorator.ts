import { SetMetadata } from '@nestjs/common';
import { type Role } from './principal';

export const REQUIRED_ROLES = 'cs:roles';

/** The caller needs at least one of these roles; the handler's list overrides the controller's. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_ROLES, roles);
