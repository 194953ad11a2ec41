import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { requestUser } from '../auth/request-user';
import type { EngineMetrics } from '../ops/engine.metrics';
import { routeOf } from './error.filter';

/**
 * One debug line and one metric sample per HTTP request, labelled by route pattern (bounded
 * cardinality; the raw URL may carry ids). Headers and bodies are never logged: they hold tokens and
 * passwords.
 */
export function requestObserver(log: Logger, metrics: EngineMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const t0 = performance.now();
    res.once('finish', () => {
      const route = routeOf(req);
      const ms = performance.now() - t0;
      metrics.httpRequest(req.method, route, res.statusCode, ms / 1000);
      if (log.isLevelEnabled('debug')) log.debug({ method: req.method, route, status: res.statusCode, ms: Math.round(ms * 10) / 10, user: requestUser(req)?.id }, 'http request');
    });
    next();
  };
}
