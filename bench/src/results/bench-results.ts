import type { ConnectionsResult } from '../phases/connections.phase';
import type { EngineMemoryResult } from '../phases/engine-memory.phase';
import type { LatencyResult } from '../phases/latency.phase';
import type { ReplayResult } from '../phases/replay.phase';
import type { TelemetryIngestResult } from '../phases/telemetry-ingest.phase';
import type { ThroughputFigures, ThroughputRun } from '../phases/throughput.phase';

export const RESULTS_SCHEMA = 'hearthbeat-bench/1';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  kernel: string;
  mosquitto: string;
  loadAverageAtStart: number[];
  fdLimit: { soft: number; hard: number; note: string };
  /** PSI "some" CPU pressure over the whole run, %: how much other work competed for the 2 cores. */
  cpuPressurePercent: number | null;
}

/** The headline figures, under the key names of the benchmark issue. Null when not measured (and why is in notes). */
export interface Figures {
  mosquittoMsgsPerS: number | null;
  brokerMsgsPerS: number | null;
  pipelineMsgsPerS: number | null;
  pipelineVsMosquitto: number | null;
  brokerVsMosquitto: number | null;
  lost: number | null;
  lostByTarget: ThroughputFigures['lostByTarget'] | null;
  /** Set when alerts were timed to a WebSocket client (`/ws`). */
  alertLatencyP50Ms?: number;
  alertLatencyP95Ms?: number;
  alertLatencyP99Ms?: number;
  /** Set instead when the WebSocket API was not there: timed to CoreDriver.events$ in the engine. */
  alertLatencyToCoreEventP50Ms?: number;
  alertLatencyToCoreEventP95Ms?: number;
  alertLatencyToCoreEventP99Ms?: number;
  connections: number | null;
  brokerBytesPerConnection: number | null;
  mosquittoBytesPerConnection: number | null;
  engineBytesPerDevice: number | null;
  backtestMsgsPerS: number | null;
  coreReplayMsgsPerS: number | null;
  /** Pipeline ingest with the InfluxDB / embedded telemetry store, as a ratio to HB_TELEMETRY_STORE=none in the same run. */
  telemetryInfluxVsOff: number | null;
  telemetryEmbeddedVsOff: number | null;
}

export interface TargetCheck {
  id: 'throughput' | 'latency' | 'telemetry' | 'connections' | 'engine-memory' | 'backtest';
  target: string;
  measured: string;
  /** null: not measured, or not verifiable on this machine (see note). */
  met: boolean | null;
  note?: string;
}

export interface BenchResults {
  schema: typeof RESULTS_SCHEMA;
  mode: 'default' | 'quick';
  startedAt: string;
  finishedAt: string;
  durationS: number;
  machine: MachineInfo;
  config: Record<string, unknown>;
  figures: Figures;
  targets: TargetCheck[];
  details: {
    throughput?: { runs: ThroughputRun[]; telemetryStoreInPipeline: string };
    telemetry?: TelemetryIngestResult;
    latency?: LatencyResult;
    connections?: ConnectionsResult;
    engineMemory?: EngineMemoryResult;
    replay?: ReplayResult;
  };
  notes: string[];
}

export function emptyFigures(): Figures {
  return {
    mosquittoMsgsPerS: null,
    brokerMsgsPerS: null,
    pipelineMsgsPerS: null,
    pipelineVsMosquitto: null,
    brokerVsMosquitto: null,
    lost: null,
    lostByTarget: null,
    connections: null,
    brokerBytesPerConnection: null,
    mosquittoBytesPerConnection: null,
    engineBytesPerDevice: null,
    backtestMsgsPerS: null,
    coreReplayMsgsPerS: null,
    telemetryInfluxVsOff: null,
    telemetryEmbeddedVsOff: null,
  };
}
