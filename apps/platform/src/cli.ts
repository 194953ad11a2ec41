#!/usr/bin/env node
import { loadPlatformConfig } from '@hearthbeat/config';
import { openRegistryStore } from '@hearthbeat/registry';
import { runCli } from './cli/cli.runner';
import type { CliContext } from './cli/cli.types';

/** `npm run hb -- <command>`: registry import/export, device provisioning, user passwords. */
export function processContext(env: NodeJS.ProcessEnv = process.env): CliContext {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdin: process.stdin,
    env,
    // Read on demand: --help and usage errors work even when an HB_* variable is wrong.
    openStore: () => openRegistryStore({ dataDir: loadPlatformConfig(env).dataDir }),
  };
}

if (require.main === module) {
  // exitCode rather than exit(): let stdout drain when it is a pipe.
  void runCli(process.argv.slice(2), processContext()).then((code) => {
    process.exitCode = code;
  });
}
