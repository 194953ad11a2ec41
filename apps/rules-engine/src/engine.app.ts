import 'reflect-metadata';
import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { EngineModule, type EngineDeps } from './engine.module';
import { EngineRuntime } from './engine.runtime';
import { bodyErrorHandler } from './http/error.filter';
import { requestObserver } from './http/request-observer';
import { EngineMetrics } from './ops/engine.metrics';
import { setupOpenApi } from './openapi/openapi.setup';

export interface EngineApp {
  app: NestExpressApplication;
  runtime: EngineRuntime;
  /** The HTTP port actually bound (HB_HTTP_PORT, or a free one when 0). */
  httpPort: number;
  close(): Promise<void>;
}

/** Registry imports may be large (a fleet of 10,000 homes is a few MB); every other body is small. */
const REGISTRY_BODY_LIMIT = '32mb';
const BODY_LIMIT = '64kb';
const isRegistryImport = (req: IncomingMessage) => req.method === 'POST' && (req.url ?? '').split('?')[0] === '/api/admin/registry';
const isJson = (req: IncomingMessage) => /^application\/(.+\+)?json\b/i.test(req.headers['content-type'] ?? '');

/** Builds and starts the engine's Nest application: the core is live and HTTP listens when this resolves. */
export async function startEngineApp(deps: EngineDeps): Promise<EngineApp> {
  // rawBody: JSON parsers keep the bytes too (req.rawBody): signed callbacks are verified over exactly what was sent.
  const app = await NestFactory.create<NestExpressApplication>(EngineModule.forRoot(deps), { logger: false, abortOnError: false, bodyParser: false, rawBody: true });
  app.use(requestObserver(deps.logger, app.get(EngineMetrics)));
  // The first parser that matches consumes the body; the second skips a request already read.
  app.useBodyParser('json', { limit: REGISTRY_BODY_LIMIT, type: (req: IncomingMessage) => isRegistryImport(req) && isJson(req) });
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.use(bodyErrorHandler(deps.logger));
  app.disable('x-powered-by');
  setupOpenApi(app);
  app.enableShutdownHooks();
  await app.listen(deps.config.platform.httpPort, deps.config.platform.host);
  const address: unknown = app.getHttpServer().address();
  const port = typeof address === 'object' && address !== null ? Reflect.get(address, 'port') : undefined;
  const runtime = app.get(EngineRuntime);
  deps.logger.info({ httpPort: port }, 'engine listening');
  return { app, runtime, httpPort: typeof port === 'number' ? port : deps.config.platform.httpPort, close: () => app.close() };
}
