import { parseDevicePayload, parseTopic } from '@hearthbeat/contracts';
import { RulesCore, buildCoreRegistry, type CoreEvent } from '@hearthbeat/rules-core';
import { ELEVATOR_FLOORS, buildBenchFleet } from './bench-fleet';
import { sourceFor, waterEpochFor, type PayloadSource } from './load-payloads';

describe('load payloads', () => {
  const fleet = buildBenchFleet({ residents: 4, elevators: 2 });

  it('are valid protocol v1 telemetry of about 200 bytes', () => {
    const now = Date.now();
    for (const dev of fleet.load) {
      const src = sourceFor(dev, waterEpochFor(now), 0);
      for (let i = 0; i < 12; i++) {
        const payload = src.next();
        expect(payload.length).toBeGreaterThan(150);
        expect(payload.length).toBeLessThan(260);
        const parsed = parseDevicePayload(payload, { deviceId: dev.id, kind: dev.kind, channel: 'telemetry', now, ...(dev.kind === 'elevator' ? { floorRange: ELEVATOR_FLOORS } : {}) });
        expect(parsed).toMatchObject({ ok: true });
      }
    }
  });

  it('raise no alert in the rules core, across two runs that continue each device stream', () => {
    const core = new RulesCore({ registry: buildCoreRegistry(fleet.file) });
    const epoch = waterEpochFor(Date.now());
    let at = Date.now();
    const events: CoreEvent[] = [];
    let next = fleet.load.map(() => 0);
    for (let run = 0; run < 2; run++) {
      const sources: PayloadSource[] = fleet.load.map((d, i) => sourceFor(d, epoch, next[i] ?? 0));
      for (let m = 0; m < 300; m++) {
        sources.forEach((src, i) => {
          const dev = fleet.load[i];
          const topic = parseTopic(src.topic.toString());
          if (!dev || !topic) throw new Error('bad fixture');
          const parsed = parseDevicePayload(src.next(), { deviceId: dev.id, kind: dev.kind, channel: topic.channel, now: at, ...(dev.kind === 'elevator' ? { floorRange: ELEVATOR_FLOORS } : {}) });
          if (!parsed.ok) throw new Error(parsed.rejection.message);
          at += 1;
          events.push(...core.advance(at), ...core.ingest(parsed.value, at));
        });
      }
      next = sources.map((s) => s.index);
      at += 60_000; // a pause between runs, as between bench phases
    }
    expect(events.filter((e) => e.type === 'alert').map((e) => (e.type === 'alert' ? `${e.alert.rule} ${e.alert.deviceId}` : ''))).toEqual([]);
    expect(next.every((n) => n === 600)).toBe(true);
  });
});
