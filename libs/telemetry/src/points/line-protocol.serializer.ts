import type { TelemetryPoint } from './telemetry-point';

/**
 * InfluxDB line protocol, precision ms: `measurement,tag=v,... field=v,... ts`. The schema is in
 * docs/telemetry.md. Tags are only ids and bounded enums (site, subject, device, device kind, event
 * name, downtime reason), so series cardinality grows with the fleet and never with the data; every
 * changing value is a field. A field keeps one type for ever (InfluxDB refuses a type change within a
 * shard), so numbers that may be fractional are always floats and counts are always integers (`i`).
 * Tags are written in key order (the order InfluxDB sorts series keys into). This runs for every
 * point on the ingest path, hence string building without intermediate arrays.
 */
export function toLineProtocol(p: TelemetryPoint): string {
  const line = build(p);
  // V8 keeps a string built by concatenation as a tree of pieces (about 850 bytes for a 185-character
  // line); reading one character flattens it into a single sequential string (about 215 bytes). The
  // influx store holds up to maxBufferedPoints of these while InfluxDB is away: measured, not guessed.
  line.charCodeAt(0);
  return line;
}

function build(p: TelemetryPoint): string {
  const ts = ` ${Math.trunc(p.ts)}`;
  switch (p.m) {
    case 'water':
      return `water,device=${k(p.device)}${p.resident ? `,resident=${k(p.resident)}` : ''},site=${k(p.site)} totalL=${float(p.totalL)}${p.flowLpm === undefined ? '' : `,flowLpm=${float(p.flowLpm)}`}${ts}`;
    case 'elevator_state':
      return (
        `elevator_state,device=${k(p.device)},elevator=${k(p.elevator)},site=${k(p.site)} floor=${int(p.floor)},doorZone=${p.doorZone},direction="${p.direction}",door="${p.door}",` +
        `occupied=${p.occupied},speedMps=${float(p.speedMps)},mode="${p.mode}",power="${p.power}"${ts}`
      );
    case 'elevator_trip':
      return `elevator_trip,device=${k(p.device)},elevator=${k(p.elevator)},site=${k(p.site)} fromFloor=${int(p.fromFloor)},toFloor=${int(p.toFloor)},durationMs=${int(p.durationMs)}${ts}`;
    case 'elevator_door_cycle':
      return `elevator_door_cycle,device=${k(p.device)},elevator=${k(p.elevator)},site=${k(p.site)} openMs=${int(p.openMs)}${ts}`;
    case 'elevator_downtime':
      return `elevator_downtime,device=${k(p.device)},elevator=${k(p.elevator)},reason=${p.reason},site=${k(p.site)} durationMs=${int(p.durationMs)}${ts}`;
    case 'device_event':
      return `device_event,${subjectTags(p)},event=${k(p.event)},kind=${p.kind},${whoTags(p)} ${p.heldMs === undefined ? '' : `heldMs=${int(p.heldMs)},`}receivedAt=${int(p.receivedAt)}${ts}`;
    case 'device_health': {
      const fields = [
        p.batteryPct === undefined ? '' : `batteryPct=${float(p.batteryPct)}`,
        p.rssi === undefined ? '' : `rssi=${float(p.rssi)}`,
        p.valve === undefined ? '' : `valve=${str(p.valve)}`,
      ].filter((f) => f !== '');
      return `device_health,${subjectTags(p)},kind=${p.kind},${whoTags(p)} ${fields.join(',')}${ts}`;
    }
    case 'device_status':
      return `device_status,${subjectTags(p)},kind=${p.kind},${whoTags(p)} online=${p.online},receivedAt=${int(p.receivedAt)}${ts}`;
  }
}

const subjectTags = (p: { device: string }) => `device=${k(p.device)}`;
const whoTags = (p: { site: string; subject: string; subjectType: string }) => `site=${k(p.site)},subject=${k(p.subject)},subject_type=${p.subjectType}`;

const NEEDS_ESCAPE = /[,= \\\n]/;
/** Tag keys and values escape commas, equals signs, spaces (and backslashes, newlines). Ids rarely need it. */
function k(s: string): string {
  return NEEDS_ESCAPE.test(s) ? s.replace(/[,= \\]/g, (c) => `\\${c}`).replace(/\n/g, '\\n') : s;
}

function float(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  // "12" would be read as a float anyway; the explicit form keeps the text unambiguous for readers.
  return Number.isInteger(n) ? `${n}.0` : String(n);
}
const int = (n: number) => `${Math.trunc(n)}i`;
const str = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
