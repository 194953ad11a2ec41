import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { UnauthenticatedError } from '../http/api.errors';
import type { AuthUser } from './auth.types';

/** The user the guard authenticated, per request object; a WeakMap rather than a property cast onto Request. */
const users = new WeakMap<object, AuthUser>();

export function setRequestUser(req: object, user: AuthUser): void {
  users.set(req, user);
}

export function requestUser(req: object): AuthUser | undefined {
  return users.get(req);
}

/** `@CurrentUser() user: AuthUser` in a handler behind the guard. */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser => {
  const user = users.get(ctx.switchToHttp().getRequest<object>());
  if (!user) throw new UnauthenticatedError('not signed in');
  return user;
});
