import type { BenchResults } from './bench-results';

const n = (v: number | null | undefined, digits = 0) => (v === null || v === undefined || Number.isNaN(v) ? '—' : v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const mark = (met: boolean | null) => (met === true ? 'met' : met === false ? '**not met**' : 'n/a');

/** The figures and target table of one run, as Markdown (bench/results/latest.md and the README). */
export function resultsMarkdown(r: BenchResults): string {
  const f = r.figures;
  const lat = r.details.latency;
  const latKey = lat?.path === 'ws' ? 'alertLatency' : 'alertLatencyToCoreEvent';
  const lines: string[] = [];
  lines.push(
    `Run ${r.startedAt} (${r.mode}, ${n(r.durationS)} s) on ${r.machine.cpus} x ${r.machine.cpuModel}, ${n(r.machine.memoryGiB)} GiB, Node ${r.machine.node}, ${r.machine.mosquitto}; load average at start ${r.machine.loadAverageAtStart.map((v) => v.toFixed(2)).join(' ')}; CPU pressure (PSI "some", share of time a runnable task waited for a CPU) over the run ${n(r.machine.cpuPressurePercent)} %.`,
  );
  lines.push('');
  lines.push('| figure | value |');
  lines.push('|---|---|');
  const row = (k: string, v: string) => lines.push(`| \`${k}\` | ${v} |`);
  row('mosquittoMsgsPerS', n(f.mosquittoMsgsPerS));
  row('brokerMsgsPerS', n(f.brokerMsgsPerS));
  row('pipelineMsgsPerS', n(f.pipelineMsgsPerS));
  row('pipelineVsMosquitto', n(f.pipelineVsMosquitto, 3));
  row('brokerVsMosquitto', n(f.brokerVsMosquitto, 3));
  row('lost', f.lostByTarget ? `${n(f.lost)} (mosquitto ${f.lostByTarget.mosquitto}, broker ${f.lostByTarget.broker}, pipeline ${f.lostByTarget.pipeline})` : '—');
  if (lat) {
    row(`${latKey}P50Ms`, n(lat.p50Ms, 1));
    row(`${latKey}P95Ms`, n(lat.p95Ms, 1));
    row(`${latKey}P99Ms`, `${n(lat.p99Ms, 1)} (${lat.samples} alerts, ${lat.missing} missing, background ${n(lat.backgroundAchievedPerS)} msg/s; platform event-loop delay p99 ${n(lat.loopDelayMs.p99)} ms, max ${n(lat.loopDelayMs.max)} ms; CPU pressure ${n(lat.cpuPressurePercent)} %)`);
  }
  row('telemetryInfluxVsOff', n(f.telemetryInfluxVsOff, 3));
  row('telemetryEmbeddedVsOff', n(f.telemetryEmbeddedVsOff, 3));
  row('connections', r.details.connections ? `${n(f.connections)} (${r.details.connections.ceilingReason})` : '—');
  row('brokerBytesPerConnection', n(f.brokerBytesPerConnection));
  row('mosquittoBytesPerConnection', n(f.mosquittoBytesPerConnection));
  row('engineBytesPerDevice', n(f.engineBytesPerDevice));
  row('backtestMsgsPerS', f.backtestMsgsPerS === null ? `null (${r.details.replay?.backtestNote ?? 'not measured'})` : n(f.backtestMsgsPerS));
  const rp = r.details.replay;
  row('coreReplayMsgsPerS', rp?.coreReplayMsgsPerS != null ? `${n(f.coreReplayMsgsPerS)} (${n(rp.log.messages)} messages, ${rp.log.residents} residents x ${rp.log.days} days, ${n(rp.coreReplaySeconds, 1)} s)` : '—');
  lines.push('');
  lines.push('| target | measured | |');
  lines.push('|---|---|---|');
  for (const t of r.targets) lines.push(`| ${t.target} | ${t.measured}${t.note ? ` — ${t.note}` : ''} | ${mark(t.met)} |`);
  const runs = r.details.throughput?.runs ?? [];
  if (runs.length) {
    lines.push('');
    lines.push('| throughput run | connections | msg/s | sent | lost | payload B | CPU % of one core | event-loop delay p99 / max ms | CPU pressure % |');
    lines.push('|---|---|---|---|---|---|---|---|---|');
    for (const t of runs) {
      const cpu = Object.entries(t.cpuPercent).map(([k, v]) => `${k} ${v}`).join(', ');
      const loop = t.loopDelayMs ? `${n(t.loopDelayMs.p99)} / ${n(t.loopDelayMs.max)}` : '—';
      lines.push(`| ${t.target} #${t.round} | ${t.connections} | ${n(t.msgsPerS)} | ${n(t.sent)} | ${t.lost} | ${n(t.payloadBytesMean)} | ${cpu} | ${loop} | ${n(t.cpuPressurePercent)} |`);
    }
  }
  if (r.notes.length) {
    lines.push('');
    for (const note of r.notes) lines.push(`- ${note}`);
  }
  return `${lines.join('\n')}\n`;
}
