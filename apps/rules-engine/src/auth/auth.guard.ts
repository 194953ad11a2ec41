import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ForbiddenError, UnauthenticatedError } from '../http/api.errors';
import { AuthService } from './auth.service';
import { ACCESS_KEY, type AccessRule } from './auth.types';
import { setRequestUser } from './request-user';

/** `Authorization: Bearer TOKEN`, or undefined. */
export function bearerToken(req: Request): string | undefined {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  return m?.[1];
}

/**
 * Global guard: every route declares its access rule (`@Endpoint`); a route without one is refused, so
 * that forgetting the rule fails closed. 401 for a missing or bad token, 403 outside the route's roles.
 * Site scoping needs the entity, so services check it (ScopePolicy) and answer 403 there.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  canActivate(ctx: ExecutionContext): boolean {
    const rule = this.reflector.get<AccessRule | undefined>(ACCESS_KEY, ctx.getHandler());
    if (!rule) throw new ForbiddenError('this route declares no access rule');
    if ('public' in rule) return true;
    const req = ctx.switchToHttp().getRequest<Request>();
    const token = bearerToken(req);
    if (!token) throw new UnauthenticatedError('missing bearer token (Authorization: Bearer TOKEN)');
    const user = this.auth.authenticate(token);
    if (!user) throw new UnauthenticatedError('invalid, expired or revoked token');
    setRequestUser(req, user);
    if (rule.roles !== 'any' && !rule.roles.includes(user.role)) {
      throw new ForbiddenError(`role "${user.role}" may not do this (allowed: ${rule.roles.join(', ')})`);
    }
    return true;
  }
}
