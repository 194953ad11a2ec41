export { parseSimOptions, HELP, type SimOptions } from './cli/sim-options';
export { runOffline, registryJson, type OfflineSummary } from './offline/offline.runner';
export { runLive, loadRegistry, type LiveSummary } from './live/live.runner';
export { generateRegistry, SIM_USERS, type FleetOptions } from './fleet/registry.generator';
export { buildFleet, type SimFleet } from './fleet/sim-fleet.builder';
export { deviceSecret, userPassword } from './fleet/secrets.util';
export { SCENARIO_KINDS, SIM_TRUTH_KINDS, EXTRA_TRUTH_KINDS, TRUTH_KIND_OF, type Scenario, type ScenarioKind } from './scenarios/scenario.types';
export { parseScenarioSpec, UsageError } from './scenarios/scenario-spec.parser';
export type { DeviceAction, SimDevice } from './devices/device-action.types';
