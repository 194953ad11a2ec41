export { parseBacktestOptions, BACKTEST_HELP, type BacktestOptions } from './cli/backtest-options';
export { buildOverrides, parseAssignment, mergeOverrides, withOverrides, SHANGHAI_BASELINE_ARGS } from './cli/rule-overrides';
export { runBacktest, formatSummary, type BacktestSummary } from './replay/backtest';
export { ReplayPass, type PassOptions } from './replay/replay-pass';
export { replayLog, type ReplayStats } from './replay/replay';
export { MessageDecoder, type Decoded } from './replay/message-decoder';
export { StaffModel, type StaffOptions, type StaffActions } from './replay/staff-model';
