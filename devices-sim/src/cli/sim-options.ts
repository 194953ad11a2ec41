import { parseArgs } from 'node:util';
import { ENTITY_ID_PATTERN, isValidTimeZone, type Site } from '@hearthbeat/contracts';
import { parseDuration } from '../core/zoned-time.util';
import { parseScenarioSpec, UsageError, type ScenarioSpec } from '../scenarios/scenario-spec.parser';
import { SCENARIO_KINDS } from '../scenarios/scenario.types';

export type ProgressOption = 'auto' | 'tty' | 'plain' | 'none';

export interface SimOptions {
  mode: 'offline' | 'live';
  help: boolean;
  seed: string;
  residents: number;
  elevators: number;
  /** Offline: days written. Live: the horizon random incidents are planned over. */
  days: number | undefined;
  /** `YYYY-MM-DD` (local midnight) or `YYYY-MM-DDTHH:MM`; offline default 2026-11-01, live default now. */
  start: string | undefined;
  site: Site;
  intervalS: number;
  batch: number;
  heartbeatS: number;
  scenarios: ScenarioSpec[];
  incidentRate: number;
  elevatorIncidentRate: number;
  showcase: boolean;
  keepaliveS: number;
  out: string | undefined;
  url: string;
  insecure: boolean;
  registry: string | undefined;
  registryOut: string | undefined;
  truthOut: string | undefined;
  speed: number;
  durationMs: number | undefined;
  concurrency: number;
  maxInflight: number;
  killOnExit: boolean;
  progress: ProgressOption;
}

export const DEFAULT_START_DATE = '2026-11-01';

const SPEC = {
  help: { type: 'boolean', short: 'h' },
  residents: { type: 'string', short: 'r' },
  elevators: { type: 'string', short: 'e' },
  days: { type: 'string', short: 'd' },
  seed: { type: 'string', short: 's' },
  start: { type: 'string' },
  out: { type: 'string', short: 'o' },
  site: { type: 'string' },
  'site-name': { type: 'string' },
  timezone: { type: 'string' },
  interval: { type: 'string' },
  batch: { type: 'string' },
  heartbeat: { type: 'string' },
  scenario: { type: 'string', multiple: true },
  'incident-rate': { type: 'string' },
  'elevator-incident-rate': { type: 'string' },
  showcase: { type: 'boolean' },
  keepalive: { type: 'string' },
  url: { type: 'string' },
  insecure: { type: 'boolean' },
  registry: { type: 'string' },
  'registry-out': { type: 'string' },
  'truth-out': { type: 'string' },
  speed: { type: 'string' },
  duration: { type: 'string' },
  concurrency: { type: 'string' },
  'max-inflight': { type: 'string' },
  'kill-on-exit': { type: 'boolean' },
  progress: { type: 'string' },
} as const;

const LIVE_ONLY = ['url', 'insecure', 'registry', 'registry-out', 'truth-out', 'speed', 'duration', 'concurrency', 'max-inflight', 'kill-on-exit', 'progress'] as const;

/** Parses and checks the command line; throws UsageError naming the option at fault. */
export function parseSimOptions(argv: readonly string[]): SimOptions {
  let values: ReturnType<typeof parseArgs<{ options: typeof SPEC; allowPositionals: false; strict: true }>>['values'];
  try {
    values = parseArgs({ args: [...argv], options: SPEC, allowPositionals: false, strict: true }).values;
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const mode = values.out !== undefined ? 'offline' : 'live';
  if (mode === 'offline') {
    const stray = LIVE_ONLY.filter((k) => values[k] !== undefined);
    if (stray.length) throw new UsageError(`--${stray.join(', --')} ${stray.length > 1 ? 'are' : 'is'} for live mode (without --out)`);
  }
  const int = (name: keyof typeof SPEC, def: number, min: number, max: number) => num(name, values[name], def, min, max, true);
  const real = (name: keyof typeof SPEC, def: number, min: number, max: number) => num(name, values[name], def, min, max, false);

  const siteId = values.site ?? 'jiangsu-road';
  if (!ENTITY_ID_PATTERN.test(siteId)) throw new UsageError(`--site "${siteId}" must match ${ENTITY_ID_PATTERN}`);
  const timezone = values.timezone ?? 'Asia/Shanghai';
  if (!isValidTimeZone(timezone)) throw new UsageError(`--timezone "${timezone}" is not an IANA time zone (e.g. Asia/Shanghai)`);
  const rate = real('incident-rate', 0.5, 0, 1000);
  const durationMs = values.duration === undefined ? undefined : parseDuration(values.duration);
  if (durationMs === null || (durationMs !== undefined && durationMs <= 0)) throw new UsageError(`--duration "${values.duration}": use e.g. 60s, 10m, 2h`);
  const progress = values.progress ?? 'auto';
  if (!['auto', 'tty', 'plain', 'none'].includes(progress)) throw new UsageError(`--progress must be auto, tty, plain or none`);
  if (values.seed === '') throw new UsageError('--seed must not be empty');
  const days = values.days === undefined ? (mode === 'offline' ? 1 : undefined) : int('days', 1, 1, 3660);

  return {
    mode,
    help: values.help ?? false,
    seed: values.seed ?? '1',
    residents: int('residents', 10, 0, 1_000_000),
    elevators: int('elevators', 2, 0, 100_000),
    days,
    start: values.start,
    site: { id: siteId, name: values['site-name'] ?? titleCase(siteId), timezone },
    intervalS: int('interval', 900, 10, 86_400),
    batch: int('batch', 1, 1, 500),
    heartbeatS: int('heartbeat', 3600, 10, 86_400),
    scenarios: (values.scenario ?? []).map(parseScenarioSpec),
    incidentRate: rate,
    elevatorIncidentRate: real('elevator-incident-rate', rate, 0, 1000),
    showcase: values.showcase ?? false,
    keepaliveS: int('keepalive', 60, 5, 65_535),
    out: values.out,
    url: values.url ?? 'mqtt://127.0.0.1:1883',
    insecure: values.insecure ?? false,
    registry: values.registry,
    registryOut: values['registry-out'],
    truthOut: values['truth-out'],
    speed: real('speed', 1, 0.001, 1_000_000),
    durationMs,
    concurrency: int('concurrency', 200, 1, 10_000),
    maxInflight: int('max-inflight', 20_000, 1, 10_000_000),
    killOnExit: values['kill-on-exit'] ?? false,
    progress: progress as ProgressOption,
  };
}

function num(name: string, raw: string | boolean | string[] | undefined, def: number, min: number, max: number, integer: boolean): number {
  if (raw === undefined) return def;
  const n = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
    throw new UsageError(`--${name} "${String(raw)}" must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
  }
  return n;
}

function titleCase(id: string): string {
  return id
    .split(/[-_.]/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join(' ');
}

export const HELP = `Hearthbeat device simulator: residents' water meters and smoke alarms, elevator terminals.

Usage:
  npm run sim -- --out DIR [options]          offline: write DIR/registry.json, messages.jsonl, truth.jsonl,
                                              answers.jsonl (how each resident would answer a check-in call)
  npm run sim -- [--url mqtt://HOST:PORT] ... live: connect every device to a broker

Fleet and time:
  -r, --residents N            residents, each with a water meter and a smoke alarm (default 10)
  -e, --elevators M            elevators, each with a monitoring terminal (default 2)
  -d, --days D                 offline: days to simulate (default 1); live: horizon for random incidents
                               (default: the run's simulated length, or 30)
  -s, --seed S                 any string; same arguments and seed give byte-identical output (default 1)
      --start DATE             local date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM) in the site zone;
                               offline default ${DEFAULT_START_DATE}, live default now
      --site ID                site id (default jiangsu-road); --site-name NAME; --timezone TZ (default Asia/Shanghai)
      --interval S             water meter reading interval, seconds (default 900)
      --batch N                readings per meter upload, e.g. 4 = hourly upload of four 15-min readings (default 1)
      --heartbeat S            smoke alarm heartbeat, seconds (default 3600)
      --keepalive S            MQTT keep-alive; offline it times the Will after a device drops (default 60)

Scenarios:
      --scenario KIND:SUBJECT@YYYY-MM-DDTHH:MM[/DURATION]   repeatable; SUBJECT is a resident, elevator or
                               device id; time is local to the site; DURATION like 90s, 20m, 6h, 3d.
                               late_rising: the time given is when the resident finally gets up.
      --incident-rate R        random incidents per resident-month (default 0.5)
      --elevator-incident-rate R   per elevator-month (default: --incident-rate)
      --showcase               one incident of every kind on day 2 (needs >= 13 residents, 9 elevators, 2 days)
  kinds: ${SCENARIO_KINDS.join(', ')}

Live mode:
      --url URL                broker, mqtt:// or mqtts:// (default mqtt://127.0.0.1:1883); --insecure for self-signed TLS
      --registry FILE          use this registry (from an offline run) instead of generating one
      --registry-out FILE      write the generated registry (for the broker to import) before connecting
      --truth-out FILE         write the incidents played to FILE (truth.jsonl format) at exit
      --speed X                simulated seconds per wall second (default 1; device ts follow the simulated clock)
      --duration T             stop after T of wall time (e.g. 60s, 10m); default: until Ctrl-C / SIGTERM
      --concurrency N          connections opened at once (default 200)
      --max-inflight N         unacknowledged publishes before the scheduler waits (default 20000)
      --kill-on-exit           on exit destroy sockets so the broker fires every Will (as on a power cut);
                               the default is a clean DISCONNECT, which suppresses the Will
      --progress MODE          auto (default), tty (redraw 2x/s), plain (a line every 5 s) or none

  -h, --help                   this text
`;
