import mqtt from 'mqtt-packet';
import type { MqttClient } from 'mqtt';
import { MAX_PAYLOAD_BYTES, REJECTION_REASONS, parseDevicePayload, type RejectionReason } from '@hearthbeat/contracts';
import type { HearthbeatBroker } from '../src/broker/hearthbeat.broker';
import type { PacketErrorReason } from '../src/metrics/broker.metrics';
import { LogCapture, startBroker } from './support/broker.fixture';
import { connectDevice, connectUser, Inbox } from './support/mqtt.client';
import { httpGet, sample, scrape, type Samples } from './support/metrics.scrape';
import { RawClient } from './support/raw.client';
import { PASSWORDS, openTestRegistry, type TestDeviceId, type TestRegistry } from './support/registry.fixture';
import { loadProtocolVectors, payloadBytes, type PayloadVector } from './support/vectors';

// The broker's clock is fixed so that the vectors' timestamps (and "24 h ahead") mean the same on every run.
const NOW = Date.UTC(2026, 9, 1, 12);
const DAY = 24 * 3600 * 1000;
const DEVICE_OF: Record<PayloadVector['deviceKind'], TestDeviceId> = { water_meter: 'WM-0001', smoke_alarm: 'SA-0001', elevator: 'EL-0001' };
const lift = (over: Record<string, unknown>) => ({ ts: NOW, floor: 5, doorZone: true, direction: 'stopped', door: 'closed', occupied: false, speedMps: 0, mode: 'normal', power: 'mains', ...over });

/** Rows of our own, beyond the protocol's vectors: the edges the broker adds (registry floor range, clock, size). */
const OWN_ROWS: PayloadVector[] = [
  { deviceKind: 'water_meter', topic: 'telemetry', payload: { ts: NOW, totalL: 1, pad: 'x'.repeat(MAX_PAYLOAD_BYTES) }, valid: false, why: 'over 8 KiB' },
  { deviceKind: 'water_meter', topic: 'telemetry', payload: { ts: NOW + DAY + 1000, totalL: 1 }, valid: false, why: 'ts more than 24 h ahead' },
  { deviceKind: 'water_meter', topic: 'telemetry', payload: { ts: NOW, readings: [{ ts: NOW + 2 * DAY, totalL: 3 }] }, valid: false, why: 'batch reading 48 h ahead' },
  { deviceKind: 'water_meter', topic: 'telemetry', payload: { ts: NOW + DAY - 1000, totalL: 1 }, valid: true, why: 'ts 23 h 59 min ahead is accepted' },
  { deviceKind: 'water_meter', topic: 'telemetry', payload: '', valid: false, why: 'empty payload' },
  { deviceKind: 'water_meter', topic: 'telemetry', payload: '"a string"', valid: false, why: 'JSON string' },
  { deviceKind: 'water_meter', topic: 'telemetry', payload: '42', valid: false, why: 'JSON number' },
  { deviceKind: 'water_meter', topic: 'telemetry', payload: '{"ts":1,', valid: false, why: 'truncated JSON' },
  { deviceKind: 'water_meter', topic: 'telemetry', payload: { ts: NOW, totalL: 1, rssi: 10 }, valid: false, why: 'positive rssi' },
  { deviceKind: 'water_meter', topic: 'status', payload: { online: 'yes' }, valid: false, why: 'status online not boolean' },
  { deviceKind: 'water_meter', topic: 'status', payload: { seq: 5, online: true, ts: NOW }, valid: true, why: 'status from the device itself' },
  { deviceKind: 'smoke_alarm', topic: 'telemetry', payload: { ts: NOW, batteryPct: 150 }, valid: false, why: 'smoke battery 150' },
  { deviceKind: 'smoke_alarm', topic: 'event', payload: { ts: NOW, event: 7 }, valid: false, why: 'event is a number' },
  { deviceKind: 'elevator', topic: 'telemetry', payload: lift({ floor: 19 }), valid: false, why: 'floor above this elevator (registry -1..18)' },
  { deviceKind: 'elevator', topic: 'telemetry', payload: lift({ floor: -2 }), valid: false, why: 'floor below this elevator' },
  { deviceKind: 'elevator', topic: 'telemetry', payload: lift({ floor: 18 }), valid: true, why: 'top floor' },
  { deviceKind: 'elevator', topic: 'telemetry', payload: lift({ mode: 'party' }), valid: false, why: 'unknown mode' },
  { deviceKind: 'elevator', topic: 'telemetry', payload: { ts: NOW, floor: 1 }, valid: false, why: 'elevator state without door fields' },
  { deviceKind: 'elevator', topic: 'event', payload: { ts: NOW, event: 'alarm_button', heldMs: 'long' }, valid: false, why: 'heldMs a string' },
];

const connectPacket = (clientId: string, extra: Partial<mqtt.IConnectPacket> = {}) =>
  mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId, clean: true, keepalive: 60, username: 'svc', password: Buffer.from(PASSWORDS.svc), ...extra });
const publishPacket = (topic: string, payload: Buffer) => mqtt.generate({ cmd: 'publish', topic, payload, qos: 0, retain: false, dup: false });

interface PacketRow {
  why: string;
  reason: PacketErrorReason;
  /** Complete a CONNECT (as the service user) first, as a real session would. */
  afterConnect: boolean;
  bytes: Buffer;
  /** Close our side after sending (a truncated packet only shows at end of stream). */
  end?: boolean;
}

function badProtocolName(): Buffer {
  const b = connectPacket('bad-proto');
  b.write('MQTX', 4, 'latin1');
  return b;
}

const PACKET_ROWS: PacketRow[] = [
  { why: 'remaining length of five bytes', reason: 'bad_remaining_length', afterConnect: true, bytes: Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]) },
  { why: 'packet type 0', reason: 'unknown_packet_type', afterConnect: true, bytes: Buffer.from([0x00, 0x00]) },
  { why: 'packet type 15', reason: 'unknown_packet_type', afterConnect: true, bytes: Buffer.from([0xf0, 0x00]) },
  { why: 'SUBSCRIBE with reserved flags 0000', reason: 'reserved_flags', afterConnect: true, bytes: Buffer.from([0x80, 0x06, 0x00, 0x01, 0x00, 0x01, 0x61, 0x00]) },
  { why: 'PINGREQ with a flag bit', reason: 'reserved_flags', afterConnect: true, bytes: Buffer.from([0xc1, 0x00]) },
  { why: 'PUBLISH with QoS 3', reason: 'invalid_qos', afterConnect: true, bytes: Buffer.from([0x36, 0x05, 0x00, 0x01, 0x61, 0x00, 0x01]) },
  { why: 'PUBLISH before CONNECT', reason: 'not_connect_first', afterConnect: false, bytes: publishPacket('hb/v1/WM-0001/telemetry', Buffer.from('{}')) },
  { why: 'a second CONNECT', reason: 'second_connect', afterConnect: true, bytes: connectPacket('again') },
  { why: 'CONNACK sent by a client', reason: 'unexpected_packet_type', afterConnect: true, bytes: Buffer.from([0x20, 0x02, 0x00, 0x00]) },
  { why: 'PUBLISH cut short, then end of stream', reason: 'truncated_packet', afterConnect: true, bytes: publishPacket('a/b', Buffer.alloc(100)).subarray(0, 40), end: true },
  { why: 'PUBLISH over the packet limit', reason: 'packet_too_large', afterConnect: true, bytes: publishPacket('a/b', Buffer.alloc(20_000)) },
  { why: 'remaining length announcing 256 MB', reason: 'packet_too_large', afterConnect: true, bytes: Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f]) },
  { why: 'CONNECT with protocol name MQTX', reason: 'malformed_packet', afterConnect: false, bytes: badProtocolName() },
  { why: 'CONNECT too short for its fields', reason: 'malformed_packet', afterConnect: false, bytes: Buffer.from([0x10, 0x02, 0x00, 0x04]) },
  { why: 'SUBSCRIBE without a payload', reason: 'malformed_packet', afterConnect: true, bytes: Buffer.from([0x82, 0x02, 0x00, 0x01]) },
  { why: 'PUBLISH topic length past the packet', reason: 'malformed_packet', afterConnect: true, bytes: Buffer.from([0x30, 0x03, 0x00, 0x09, 0x61]) },
  { why: 'PUBLISH to a wildcard topic', reason: 'invalid_topic', afterConnect: true, bytes: publishPacket('hb/v1/+/telemetry', Buffer.from('{}')) },
];

describe('bad input over real sockets', () => {
  let reg: TestRegistry;
  let broker: HearthbeatBroker;
  let logs: LogCapture;
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    reg = await openTestRegistry();
    logs = new LogCapture('info');
    broker = await startBroker(reg, { clock: () => NOW, clientMsgRate: 100_000, logger: logs.logger, maxPacketBytes: 16 * 1024 });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync()));
    await broker.stop();
    reg.close();
  });

  const rows = [...loadProtocolVectors(), ...OWN_ROWS];

  /** The reason the contracts give for a row, with the context the broker builds from the registry. */
  function expectedReason(v: PayloadVector): RejectionReason | null {
    const device = reg.store.getDevice(DEVICE_OF[v.deviceKind]);
    if (!device) throw new Error('test fleet incomplete');
    const r = parseDevicePayload(payloadBytes(v.payload), { deviceId: device.id, kind: device.kind, channel: v.topic, now: NOW, ...(device.floorRange ? { floorRange: device.floorRange } : {}) });
    return r.ok ? null : r.rejection.reason;
  }

  it('has enough bad rows, and the registry supplies the elevator floor range', () => {
    expect(rows.filter((r) => !r.valid).length).toBeGreaterThanOrEqual(30);
    expect(reg.store.getDevice('EL-0001')?.floorRange).toEqual({ min: -1, max: 18 });
    for (const r of rows) expect({ why: r.why, rejected: expectedReason(r) !== null }).toEqual({ why: r.why, rejected: !r.valid });
  });

  it('drops and counts every bad payload and malformed packet while valid traffic flows', async () => {
    const before = await scrape(broker.ports.http ?? 0);
    const watcher = await connectUser(broker.ports.mqtt, 'svc');
    clients.push(watcher);
    const inbox = new Inbox(watcher);
    await watcher.subscribeAsync('hb/v1/#', { qos: 1 });
    const devices = new Map<TestDeviceId, MqttClient>();
    for (const id of ['WM-0001', 'SA-0001', 'EL-0001', 'WM-0003'] as const) {
      const c = await connectDevice(broker.ports.mqtt, id);
      clients.push(c);
      devices.set(id, c);
    }

    // 1. The payload barrage, each row from a device of its kind, QoS 1 (the PUBACK comes either way).
    const barrage = async () => {
      for (const v of rows) {
        const id = DEVICE_OF[v.deviceKind];
        await devices.get(id)?.publishAsync(`hb/v1/${id}/${v.topic}`, payloadBytes(v.payload), { qos: 1 });
      }
    };
    // 2. Malformed MQTT packets, each on its own connection.
    const packets = () =>
      Promise.all(
        PACKET_ROWS.map(async (row, i) => {
          const raw = row.afterConnect ? await RawClient.connected(broker.ports.mqtt, { clientId: `raw-${i}`, username: 'svc', password: PASSWORDS.svc }) : await RawClient.open(broker.ports.mqtt);
          raw.send(row.bytes);
          if (row.end) raw.end();
          await raw.closed;
        }),
      );
    // 3. Another device's valid readings, concurrently.
    const VALID = 300;
    const steady = async () => {
      const c = devices.get('WM-0003');
      for (let seq = 0; seq < VALID; seq++) await c?.publishAsync('hb/v1/WM-0003/telemetry', JSON.stringify({ ts: NOW, seq, totalL: 1000 + seq }), { qos: 1 });
    };
    await Promise.all([barrage(), packets(), steady()]);

    // Every valid reading arrives, in order; the barrage devices stayed connected and still get through.
    await inbox.waitFor((m) => m.topic === 'hb/v1/WM-0003/telemetry' && m.text.includes(`"seq":${VALID - 1},`));
    const seqs = inbox.messages.filter((m) => m.topic === 'hb/v1/WM-0003/telemetry').map((m) => (JSON.parse(m.text) as { seq: number }).seq);
    expect(seqs).toEqual(Array.from({ length: VALID }, (_, i) => i));
    for (const [id, c] of devices) {
      expect(c.connected).toBe(true);
      await c.publishAsync(`hb/v1/${id}/event`, JSON.stringify({ ts: NOW, event: id.startsWith('EL') ? 'test_call' : id.startsWith('SA') ? 'test' : 'leak', seq: 9999 }), { qos: 1 });
      await inbox.on(`hb/v1/${id}/event`, '"seq":9999');
    }

    // Only valid payloads were forwarded: what arrived from the barrage devices is exactly the valid rows.
    const forwarded = inbox.messages.filter((m) => !m.text.includes('"seq":9999') && !m.topic.startsWith('hb/v1/WM-0003/') && !(m.topic.endsWith('/status') && m.text.startsWith('{"online":true,"ts":')));
    const validRows = rows.filter((r) => r.valid);
    expect(forwarded.map((m) => m.text).sort()).toEqual(validRows.map((r) => payloadBytes(r.payload).toString()).sort());

    // Metrics: each rejection reason, each packet error reason, as many times as sent.
    const after = await scrape(broker.ports.http ?? 0);
    const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    const reasons = new Map<RejectionReason, number>();
    for (const r of rows) {
      const reason = expectedReason(r);
      if (reason) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    expect([...reasons.keys()].sort()).toEqual(REJECTION_REASONS.filter((r) => r !== 'wrong_topic' && r !== 'unknown_device').sort());
    for (const reason of REJECTION_REASONS) expect({ reason, n: delta('hb_broker_payload_rejections_total', { reason }) }).toEqual({ reason, n: reasons.get(reason) ?? 0 });
    expect(delta('hb_broker_publishes_dropped_total', { reason: 'invalid_payload' })).toBe(rows.filter((r) => !r.valid).length);
    const packetReasons = new Map<string, number>();
    for (const r of PACKET_ROWS) packetReasons.set(r.reason, (packetReasons.get(r.reason) ?? 0) + 1);
    for (const [reason, n] of packetReasons) expect({ reason, n: delta('hb_broker_packet_errors_total', { reason }) }).toEqual({ reason, n });

    // The per-device table agrees with the metrics, and names the latest problem.
    const table = broker.rejections();
    expect(table.reduce((n, r) => n + r.count, 0)).toBe(rows.filter((r) => !r.valid).length);
    const liftOutOfRange = rows.filter((r) => r.deviceKind === 'elevator' && expectedReason(r) === 'out_of_range').length;
    expect(broker.rejections('EL-0001').find((r) => r.reason === 'out_of_range')).toMatchObject({ count: liftOutOfRange, lastAt: NOW, lastMessage: expect.stringContaining('floors -1..18') });

    // Logged without flooding: one line per device and reason while the clock stands still.
    const dropLines = logs.matching('PUBLISH dropped');
    expect(dropLines.length).toBe(table.length);
    expect(dropLines.length).toBeLessThan(rows.filter((r) => !r.valid).length);

    // Still up.
    const health = await httpGet(broker.ports.http ?? 0, '/health');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });
  });

  it('refuses an MQTT 5 CONNECT with return code 1 and counts it', async () => {
    const before: Samples = await scrape(broker.ports.http ?? 0);
    const raw = await RawClient.open(broker.ports.mqtt);
    raw.send(connectPacket('v5-client', { protocolVersion: 5 }));
    const connack = await raw.next('connack');
    expect(connack).toMatchObject({ cmd: 'connack', returnCode: 1 });
    await raw.closed;
    const after = await scrape(broker.ports.http ?? 0);
    expect(sample(after, 'hb_broker_connections_refused_total', { reason: 'unsupported_protocol' }) - sample(before, 'hb_broker_connections_refused_total', { reason: 'unsupported_protocol' })).toBe(1);
  });
});
