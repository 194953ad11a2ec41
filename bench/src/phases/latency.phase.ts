import type { BenchContext } from '../core/bench.context';
import { epochNow, round, summarize } from '../core/stats';
import type { BenchCredentials, BenchDevice } from '../fleet/bench-fleet';
import { alarmPayload } from '../fleet/load-payloads';
import { PressureWindow } from '../core/proc-stats';
import { MqttLink } from '../mqtt/mqtt.link';
import { openAlertListener, type AlertPath } from './alert.listener';
import { LoadSession } from './load.session';
import type { PlatformHost } from './servers';
import type { ThroughputConfig } from './throughput.phase';

export interface LatencyConfig {
  probes: number;
  /** Between two probes; one probe per resident, so each opens a new smoke.alarm alert. */
  probeEveryMs: number;
  /** Background telemetry, messages/s: a fraction (normally half) of the pipeline's maximum measured in this run. */
  backgroundRatePerS: number;
  loadFraction: number;
  warmupMs: number;
}

export interface LatencyResult {
  path: AlertPath;
  fallbackReason?: string;
  samples: number;
  missing: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  backgroundTargetPerS: number;
  /** backgroundTargetPerS as a fraction of the pipeline maximum (the target is judged at 0.5). */
  loadFraction: number;
  /** Telemetry the engine evaluated per second while the probes ran. */
  backgroundAchievedPerS: number;
  /** Every latency in probe order (ms), to tell a steady cost from stalls. */
  samplesMs: number[];
  /** The platform's event-loop delay while the probes ran (ms). */
  loopDelayMs: { p99: number; max: number };
  /** Share of the probe window during which some task on the machine waited for a CPU (PSI), in %. */
  cpuPressurePercent: number | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Alert latency under load: smoke `alarm` events (critical, immediate: docs/rules.md) from residents'
 * detectors, each timed from the moment its PUBLISH is written to the moment the alert is seen, while
 * the load devices keep the pipeline at half its measured maximum.
 */
export async function measureAlertLatency(
  ctx: BenchContext,
  platform: PlatformHost,
  staff: BenchCredentials,
  load: BenchDevice[],
  detectors: BenchDevice[],
  throughput: ThroughputConfig,
  cfg: LatencyConfig,
  startIndex: number[],
): Promise<LatencyResult & { nextIndex: number[] }> {
  const listener = await openAlertListener(platform.httpPort, staff, platform.child);
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const order = new Map<string, number>();
  const inOrder: number[] = [];
  listener.onAlert((deviceId, rule, at) => {
    const t0 = sentAt.get(deviceId);
    if (t0 === undefined || rule !== 'smoke.alarm') return;
    sentAt.delete(deviceId);
    latencies.push(at - t0);
    inOrder[order.get(deviceId) ?? inOrder.length] = round(at - t0, 1);
  });
  const probes = detectors.slice(0, cfg.probes);
  const links = await Promise.all(
    probes.map((d) => MqttLink.connect({ host: '127.0.0.1', port: platform.mqttPort, clientId: d.id, username: d.id, password: d.secret, keepaliveS: 60 })),
  );
  const session = await LoadSession.open(ctx, 'load-latency', {
    host: '127.0.0.1',
    port: platform.mqttPort,
    devices: load,
    keepaliveS: 60,
    localAddresses: [],
    perAddress: load.length,
    concurrency: 100,
  });
  try {
    await session.start(platform.feed, { window: throughput.window, ratePerS: cfg.backgroundRatePerS, waterEpoch: throughput.waterEpoch, startIndex, maxBacklog: throughput.maxBacklog });
    await sleep(cfg.warmupMs);
    const s0 = await platform.feed.fresh();
    await platform.loopDelay();
    const pressure = new PressureWindow();
    for (let i = 0; i < links.length; i++) {
      const link = links[i] as MqttLink;
      const dev = probes[i] as BenchDevice;
      order.set(dev.id, i);
      sentAt.set(dev.id, epochNow());
      link.publish(Buffer.from(`hb/v1/${dev.id}/event`), alarmPayload(Date.now(), 1));
      await sleep(cfg.probeEveryMs);
    }
    const s1 = await platform.feed.fresh();
    const loop = await platform.loopDelay();
    const cpuPressurePercent = pressure.finish();
    const until = performance.now() + 10_000;
    while (sentAt.size > 0 && performance.now() < until) await sleep(20);
    const stop = await session.stop();
    await session.drain(platform.feed, stop.acked);
    const s = summarize(latencies);
    return {
      path: listener.path,
      ...(listener.fallbackReason ? { fallbackReason: listener.fallbackReason } : {}),
      samples: s.samples,
      missing: sentAt.size,
      p50Ms: round(s.p50, 2),
      p95Ms: round(s.p95, 2),
      p99Ms: round(s.p99, 2),
      maxMs: round(s.max, 2),
      meanMs: round(s.mean, 2),
      backgroundTargetPerS: round(cfg.backgroundRatePerS, 0),
      loadFraction: cfg.loadFraction,
      backgroundAchievedPerS: round((s1.count - s0.count) / ((s1.at - s0.at) / 1000), 0),
      samplesMs: Array.from(inOrder, (v) => v ?? -1),
      loopDelayMs: { p99: loop.p99Ms, max: loop.maxMs },
      cpuPressurePercent,
      nextIndex: stop.nextIndex,
    };
  } finally {
    listener.close();
    await session.close();
    await Promise.all(links.map((l) => l.disconnect()));
  }
}
