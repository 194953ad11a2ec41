export { startEngineApp, type EngineApp } from './engine.app';
export { EngineModule, type EngineDeps } from './engine.module';
export { EngineRuntime } from './engine.runtime';
export { loadEngineConfig, type EngineConfig } from './engine.config';
export { CoreDriver, type StoredEvent } from './driver/core-driver';
export { OffsetClock, systemClock, type Clock } from './driver/clock';
export { EngineStore, ENGINE_DB_FILE } from './store/engine-store';
export { MessageGate } from './ingest/message-gate';
export { EngineMetrics } from './ops/engine.metrics';
