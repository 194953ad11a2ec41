import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Endpoint } from '../http/endpoint.decorator';
import { ZodPipe } from '../http/zod.pipe';
import { bearerToken } from './auth.guard';
import { AuthService, type LoginResult } from './auth.service';
import type { AuthUser } from './auth.types';
import { loginSchema, passwordChangeSchema, type LoginInput, type PasswordChangeInput } from './dto/auth.dto';
import { CurrentUser } from './request-user';

/** The client's address for throttling: the socket peer (set `trust proxy` deployments aside). */
function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(200)
  @Endpoint({
    summary: 'Sign in with a registry user: an opaque bearer token, its expiry and the user',
    description: 'Failures are counted per username and client address; after HB_LOGIN_MAX_FAILURES (5) each further failure blocks the pair for twice as long (1 s, 2 s, ... 15 min): 429 with Retry-After.',
    access: 'public',
    body: loginSchema,
  })
  login(@Body(new ZodPipe(loginSchema)) body: LoginInput, @Req() req: Request): Promise<LoginResult> {
    return this.auth.login(body.username, body.password, clientIp(req));
  }

  @Post('logout')
  @HttpCode(204)
  @Endpoint({ summary: 'Revoke this token (its live sockets are closed with 4401)', access: 'signed-in', status: 204 })
  logout(@CurrentUser() user: AuthUser, @Req() req: Request): void {
    this.auth.logout(user, bearerToken(req) ?? '');
  }

  @Post('password')
  @HttpCode(204)
  @Endpoint({ summary: 'Change the password (ends the user\'s other sessions)', access: 'signed-in', body: passwordChangeSchema, status: 204 })
  password(@CurrentUser() user: AuthUser, @Body(new ZodPipe(passwordChangeSchema)) body: PasswordChangeInput, @Req() req: Request): Promise<void> {
    return this.auth.changePassword(user, bearerToken(req) ?? '', body.current, body.new, clientIp(req));
  }

  @Get('me')
  @Endpoint({ summary: 'The signed-in user and the token\'s expiry', access: 'signed-in' })
  me(@CurrentUser() user: AuthUser): Omit<AuthUser, 'sessionId'> {
    const { sessionId: _s, ...rest } = user;
    return rest;
  }
}
