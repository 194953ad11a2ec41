import type { BenchResults, TargetCheck } from './bench-results';

const GiB = 1024 ** 3;
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The issue's targets, each judged from figures measured in this run (a ratio only within one run). */
export function checkTargets(r: Pick<BenchResults, 'figures' | 'details'>): TargetCheck[] {
  const f = r.figures;
  const d = r.details;
  const out: TargetCheck[] = [];

  if (f.pipelineVsMosquitto !== null && f.lostByTarget) {
    out.push({
      id: 'throughput',
      target: 'pipeline >= 0.5 x mosquitto, zero loss',
      measured: `${fmt(f.pipelineVsMosquitto, 3)} x (${fmt(f.pipelineMsgsPerS ?? 0)} vs ${fmt(f.mosquittoMsgsPerS ?? 0)} msg/s), lost ${f.lostByTarget.pipeline}`,
      met: f.pipelineVsMosquitto >= 0.5 && f.lostByTarget.pipeline === 0,
    });
  } else out.push({ id: 'throughput', target: 'pipeline >= 0.5 x mosquitto, zero loss', measured: 'not measured', met: null });

  const lat = d.latency;
  if (lat) {
    out.push({
      id: 'latency',
      target: 'alert p99 <= 50 ms at half load',
      measured: `p99 ${fmt(lat.p99Ms, 1)} ms (p50 ${fmt(lat.p50Ms, 1)}, p95 ${fmt(lat.p95Ms, 1)}; ${lat.samples} alerts, ${lat.missing} missing) at ${fmt(lat.backgroundAchievedPerS)} msg/s`,
      met: lat.loadFraction === 0.5 ? lat.missing === 0 && lat.p99Ms <= 50 : null,
      ...(lat.path === 'core-event' ? { note: 'timed to the engine emitting the alert (CoreDriver.events$), not to a /ws client: the WebSocket API was not there' } : {}),
      ...(lat.loadFraction !== 0.5 ? { note: `measured at ${lat.loadFraction} of the pipeline maximum (--latency-load), not at half load` } : {}),
    });
  } else out.push({ id: 'latency', target: 'alert p99 <= 50 ms at half load', measured: 'not measured', met: null });

  const t = d.telemetry;
  out.push(
    t
      ? {
          id: 'telemetry',
          target: 'ingest with the InfluxDB store >= 0.8 x telemetry storage off, nothing dropped',
          measured: `${fmt(t.influxVsOff, 3)} x (${fmt(t.msgsPerS.influx)} vs ${fmt(t.msgsPerS.none)} msg/s), dropped ${fmt(t.counters.influx.dropped)}; embedded ${fmt(t.embeddedVsOff, 3)} x`,
          met: t.influxVsOff >= 0.8 && t.counters.influx.dropped === 0,
        }
      : { id: 'telemetry', target: 'ingest with the InfluxDB store >= 0.8 x telemetry storage off, nothing dropped', measured: 'not measured', met: null },
  );

  const c = d.connections;
  if (c) {
    const reached = c.connections >= 50_000;
    out.push({
      id: 'connections',
      target: '>= 50,000 connections within 2 GB on one broker process',
      measured: `${fmt(c.connections)} held, ${fmt(c.brokerBytesPerConnection)} B each (RSS ${fmt(c.brokerRssBytes / 2 ** 20)} MiB); 50,000 projected at ${fmt(c.projectedRssAt50kBytes / GiB, 2)} GiB`,
      met: reached ? c.brokerRssBytes <= 2 * GiB : null,
      ...(reached
        ? {}
        : {
            note: `${c.ceiling < c.requested ? `only ${fmt(c.connections)} connections possible here (${c.ceilingReason})` : `${fmt(c.requested)} asked for (--connections)`}; projected: ${c.projectedRssAt50kBytes <= 2 * GiB ? 'within' : 'over'} 2 GiB`,
          }),
    });
  } else out.push({ id: 'connections', target: '>= 50,000 connections within 2 GB on one broker process', measured: 'not measured', met: null });

  const e = d.engineMemory;
  out.push(
    e
      ? { id: 'engine-memory', target: '<= 2 KB per idle device in the engine', measured: `${fmt(e.engineBytesPerDevice)} B heap per device (${fmt(e.devices)} devices)`, met: e.engineBytesPerDevice <= 2048 }
      : { id: 'engine-memory', target: '<= 2 KB per idle device in the engine', measured: 'not measured', met: null },
  );

  const rp = d.replay;
  const full = rp !== undefined && rp.log.residents === 1200 && rp.log.days === 30;
  out.push({
    id: 'backtest',
    target: 'backtest < 60 s for the 1,200 x 30-day log',
    measured: rp?.backtestSeconds != null ? `${fmt(rp.backtestSeconds, 1)} s (${fmt(rp.backtestMsgsPerS ?? 0)} msg/s)` : 'no backtest yet',
    met: rp?.backtestSeconds != null && full ? rp.backtestSeconds < 60 : null,
    note:
      rp?.coreReplaySeconds != null
        ? `raw RulesCore replay of the ${rp.log.residents} x ${rp.log.days}-day log: ${fmt(rp.coreReplaySeconds, 1)} s (${fmt(rp.coreReplayMsgsPerS ?? 0)} msg/s)${rp.coreReplayProjected30DaySeconds != null ? `, about ${fmt(rp.coreReplayProjected30DaySeconds)} s for ${rp.log.residents} x 30 days` : ''}`
        : (rp?.backtestNote ?? 'not measured'),
  });
  return out;
}
