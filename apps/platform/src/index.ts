/**
 * @hearthbeat/platform: the deployable. Holds the `hb` CLI today; main.ts (broker + engine + API) comes next.
 */
export { startPlatform, ENGINE_SERVICE_USER, type Platform, type PlatformOptions } from "./platform";
export { runCli, COMMANDS } from './cli/cli.runner';
export { processContext } from './cli';
export type { CliContext, CommandSpec } from './cli/cli.types';
