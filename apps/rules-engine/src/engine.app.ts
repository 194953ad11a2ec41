import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { EngineModule, type EngineDeps } from './engine.module';
import { EngineRuntime } from './engine.runtime';

export interface EngineApp {
  app: INestApplication;
  runtime: EngineRuntime;
  /** The HTTP port actually bound (HB_HTTP_PORT, or a free one when 0). */
  httpPort: number;
  close(): Promise<void>;
}

/** Builds and starts the engine's Nest application: the core is live and HTTP listens when this resolves. */
export async function startEngineApp(deps: EngineDeps): Promise<EngineApp> {
  const app = await NestFactory.create(EngineModule.forRoot(deps), { logger: false, abortOnError: false });
  app.enableShutdownHooks();
  await app.listen(deps.config.platform.httpPort, deps.config.platform.host);
  const address = app.getHttpServer().address() as { port: number };
  const runtime = app.get(EngineRuntime);
  deps.logger.info({ httpPort: address.port }, 'engine listening');
  return { app, runtime, httpPort: address.port, close: () => app.close() };
}
