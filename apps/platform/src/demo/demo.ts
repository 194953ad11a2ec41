import { parseArgs } from 'node:util';
import { startDemo } from './demo.server';
import { DEMO_SITE } from './demo.registry';
import { watch } from './demo.watch';

const HELP = `npm run demo [-- options]

  (no option)        start the platform with a demo registry and a live simulated fleet, and print the
                     alerts the staff user "demo" receives over /ws
  --quiet            do not print the live pushes (the platform and the fleet still run)
  --watch            only watch: sign in to a running demo and print what /ws pushes
    --user U         (default demo)     --password P (default demo-password)
    --url URL        (default http://127.0.0.1:$HB_HTTP_PORT or :3000)
  -h, --help

Environment: HB_HTTP_PORT (3000), HB_MQTT_PORT (a free one), HB_DATA_DIR (a fresh temporary directory),
HB_LOG_LEVEL (warn).`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      watch: { type: 'boolean' },
      quiet: { type: 'boolean' },
      user: { type: 'string' },
      password: { type: 'string' },
      url: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const abort = new AbortController();
  const out = (line: string) => process.stdout.write(`${line}\n`);
  let stopping = false;
  const onSignal = (stop: () => Promise<void>) => () => {
    if (stopping) process.exit(130);
    stopping = true;
    abort.abort();
    void stop().then(() => process.exit(0));
  };

  if (values.watch) {
    const baseUrl = values.url ?? `http://127.0.0.1:${process.env['HB_HTTP_PORT'] ?? '3000'}`;
    process.once('SIGINT', onSignal(async () => undefined));
    await watch({ baseUrl, username: values.user ?? 'demo', password: values.password ?? 'demo-password', out, signal: abort.signal, timeZone: DEMO_SITE.timezone });
    return;
  }

  const demo = await startDemo({ env: process.env, fireAfterS: 25, entrapmentAfterS: 5, watch: !values.quiet, out, signal: abort.signal });
  const stop = async () => {
    out('stopping...');
    await demo.done;
    await demo.platform.stop();
  };
  process.once('SIGINT', onSignal(stop));
  process.once('SIGTERM', onSignal(stop));
}

main().catch((err: unknown) => {
  const msg = err instanceof Error ? err.message : String(err);
  const hint = /EADDRINUSE/.test(msg) ? ' (a port is taken: set HB_HTTP_PORT, e.g. HB_HTTP_PORT=3001 npm run demo)' : '';
  process.stderr.write(`demo failed: ${msg}${hint}\n`);
  process.exit(1);
});
