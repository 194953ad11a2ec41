import { Catch, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { LOGGER } from '../engine.tokens';
import { ApiError } from './api.errors';
import { mapError } from './error.mapper';

function send(res: Response, err: unknown, log: Logger, req: Request): void {
  const mapped = mapError(err);
  if (mapped.status >= 500) {
    // A named 5xx is a known state, not a bug: one line, no stack; a history store that is off by
    // configuration (503) is not worth a line per page view outside debug.
    const line = { error: mapped.body.error, message: mapped.body.message, method: req.method, route: routeOf(req) };
    if (err instanceof ApiError && mapped.status === 503) log.debug(line, 'request refused');
    else if (err instanceof ApiError) log.warn(line, 'request refused');
    else log.error({ err, method: req.method, route: routeOf(req) }, 'request failed');
  }
  if (res.headersSent) return;
  if (mapped.headers) for (const [k, v] of Object.entries(mapped.headers)) res.setHeader(k, v);
  res.status(mapped.status).json(mapped.body);
}

/** Express's matched route pattern (`/api/alerts/:id/ack`), never the raw URL (it may carry ids or tokens). */
export function routeOf(req: Request): string {
  const route: unknown = req.route;
  const path: unknown = typeof route === 'object' && route !== null ? Reflect.get(route, 'path') : undefined;
  return typeof path === 'string' ? path : 'unmatched';
}

/** The one place where errors become HTTP answers (see error.mapper.ts for the mapping). */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly log: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    send(http.getResponse<Response>(), exception, this.log, http.getRequest<Request>());
  }
}

/**
 * Express error middleware for what fails before Nest routes a request (malformed JSON, a body over
 * the limit): same mapping, same body, so clients see one error format.
 */
export function bodyErrorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => send(res, err, log, req);
}
