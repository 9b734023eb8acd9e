import { SetMetadata } from '@nestjs/common';

export const ROLES_KEY = 'roles';

/** Restricts a route (or controller) to callers holding one of these roles. */
export const Roles = (...roles: string[]): ClassDecorator & MethodDecorator => SetMetadata(ROLES_KEY, roles);
