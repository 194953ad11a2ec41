import { ConfigError } from '@hearthbeat/config';
import { startPlatform } from './platform';

/** `npm start`: broker and rules engine together on embedded defaults. */
async function main(): Promise<void> {
  const platform = await startPlatform();
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    platform.logger.info({ signal }, 'stopping');
    platform.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        platform.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  const msg = err instanceof ConfigError ? `configuration error: ${err.message}` : err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`hearthbeat failed to start: ${msg}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
