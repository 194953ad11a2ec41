import { parseDevicePayload, type DeviceKind } from '@hearthbeat/contracts';
import { RulesCore, buildCoreRegistry } from '@hearthbeat/rules-core';
import { serveParent, sendToParent, type IpcMessage } from '../core/ipc';
import { BENCH_SITE, ELEVATOR_FLOORS, buildBenchFleet } from '../fleet/bench-fleet';
import { WATER_STEP_MS, sourceFor, type PayloadSource } from '../fleet/load-payloads';
import { takeSample, type MemorySample } from '../hosts/host.protocol';

/**
 * Forked with --expose-gc: the memory a RulesCore needs per tracked device. Heap after a full GC with an
 * empty core (one site, no devices), then with the bench fleet's devices after their first message, and
 * again after 12 hours of normal reporting in virtual time (water meters every 15 minutes, detectors'
 * heartbeats hourly, elevator state every 15 minutes): the idle steady state, with full 12-hour reading
 * windows and dedup rings, which is what an engine holds for a quiet estate.
 */
export interface EngineMemoryReport {
  type: 'engine-memory';
  devices: number;
  steps: number;
  empty: MemorySample;
  registry: MemorySample;
  firstMessage: MemorySample;
  steady: MemorySample;
  /** Alert events raised meanwhile: 0, or the figure includes alerts rather than idle devices. */
  alerts: number;
}

const keep: unknown[] = [];
const pad = (n: number) => String(n).padStart(6, '0');

/** The devices of buildBenchFleet({ residents, elevators }), by id and kind, without keeping the file. */
function* fleetDevices(residents: number, elevators: number): Generator<{ id: string; kind: DeviceKind }> {
  for (let i = 1; i <= residents; i++) {
    yield { id: `WM-${pad(i)}`, kind: 'water_meter' };
    yield { id: `SA-${pad(i)}`, kind: 'smoke_alarm' };
  }
  for (let i = 1; i <= elevators; i++) yield { id: `EL-${pad(i)}`, kind: 'elevator' };
}

function measure(devices: number, steps: number): EngineMemoryReport {
  keep.length = 0;
  const t0 = Date.now();
  let now = t0;
  // The bench fleet's mix: residents with a meter and a detector, one elevator per ten devices. The
  // message sources exist before the first sample and live past the last, so they cancel out.
  const elevators = Math.round(devices / 10);
  const residents = Math.floor((devices - elevators) / 2);
  const fleet = [...fleetDevices(residents, elevators)].map((d) => ({ ...d, src: d.kind === 'smoke_alarm' ? undefined : sourceFor({ ...d, secret: '' }, t0, 0, () => now) }));
  const emptyCore = new RulesCore({ registry: buildCoreRegistry({ sites: [{ id: BENCH_SITE, name: 'Bench', timezone: 'Asia/Shanghai' }], residents: [], elevators: [], devices: [] }) });
  emptyCore.advance(now);
  keep.push(emptyCore);
  const empty = takeSample(0);

  const registry = buildCoreRegistry(buildBenchFleet({ residents, elevators }).file);
  keep.push(registry);
  const afterRegistry = takeSample(0);

  const core = new RulesCore({ registry });
  keep.push(core);
  core.advance(now);
  const send = (d: { id: string; kind: DeviceKind; src: PayloadSource | undefined }, step: number) => {
    if (d.kind === 'smoke_alarm' && step % 4 !== 0) return;
    const payload = d.src ? d.src.next() : { ts: now, batteryPct: 90, rssi: -80 };
    const parsed = parseDevicePayload(payload, { deviceId: d.id, kind: d.kind, channel: 'telemetry', now, ...(d.kind === 'elevator' ? { floorRange: ELEVATOR_FLOORS } : {}) });
    if (!parsed.ok) throw new Error(`${d.id}: ${parsed.rejection.message}`);
    for (const e of core.ingest(parsed.value, now)) if (e.type === 'alert') alerts++;
  };
  let alerts = 0;
  let firstMessage: MemorySample | undefined;
  for (let step = 0; step < steps; step++) {
    // A water meter's message `step` carries reading time t0 + step x 15 min: receive it just after.
    now = t0 + step * WATER_STEP_MS + 1000;
    for (const e of core.advance(now)) if (e.type === 'alert') alerts++;
    for (const d of fleet) send(d, step);
    // The live engine writes (and so empties) the dirty set after every step.
    core.drainDirty();
    if (step === 0) firstMessage = takeSample(0);
  }
  const steady = takeSample(0);
  keep.push(fleet);
  return { type: 'engine-memory', devices: residents * 2 + elevators, steps, empty, registry: afterRegistry, firstMessage: firstMessage ?? steady, steady, alerts };
}

serveParent((raw: IpcMessage) => {
  const msg = raw as { type: 'measure'; devices: number; steps: number } | { type: 'exit' };
  if (msg.type === 'measure') sendToParent(measure(msg.devices, msg.steps));
  else if (msg.type === 'exit') process.exit(0);
});
sendToParent({ type: 'hello' });
