import mqtt from 'mqtt-packet';
import { FrameScanner, type FrameViolation } from './frame.scanner';

const connect = mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c1', clean: true, keepalive: 30 });
const publish = (payload: Buffer, qos: 0 | 1 = 0) =>
  mqtt.generate({ cmd: 'publish', topic: 'a/b', payload, qos, retain: false, dup: false, ...(qos > 0 ? { messageId: 1 } : {}) });
const ping = mqtt.generate({ cmd: 'pingreq' });
const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function scan(max: number, ...chunks: Buffer[]): FrameViolation | null {
  const s = new FrameScanner(max);
  for (const c of chunks) {
    const v = s.push(c);
    if (v) return v;
  }
  return null;
}

describe('FrameScanner', () => {
  it.each<[string, Buffer[], FrameViolation | null]>([
    ['a clean session', [connect, publish(Buffer.from('{}')), ping, hex('e000')], null],
    ['packets split byte by byte', [...Buffer.concat([connect, publish(Buffer.alloc(300))]).values()].map((b) => Buffer.from([b])), null],
    ['several packets in one chunk', [Buffer.concat([connect, ping, ping, publish(Buffer.alloc(10), 1)])], null],
    ['packet type 0', [connect, hex('0000')], 'unknown_packet_type'],
    ['packet type 15 (AUTH is MQTT 5)', [connect, hex('f000')], 'unknown_packet_type'],
    ['PUBLISH before CONNECT', [publish(Buffer.from('x'))], 'not_connect_first'],
    ['PINGREQ before CONNECT', [ping], 'not_connect_first'],
    ['a second CONNECT', [connect, connect], 'second_connect'],
    ['CONNACK from a client', [connect, hex('20020000')], 'unexpected_packet_type'],
    ['SUBSCRIBE with flags 0000', [connect, hex('8006 0001 0001 61 00')], 'reserved_flags'],
    ['PINGREQ with a flag set', [connect, hex('c100')], 'reserved_flags'],
    ['CONNECT with a flag set', [hex('1100')], 'reserved_flags'],
    ['PUBLISH with QoS 3', [connect, hex('36 00')], 'invalid_qos'],
    ['remaining length over four bytes', [connect, hex('30 ff ff ff ff 01')], 'bad_remaining_length'],
    ['remaining length over four bytes, split', [connect, hex('30 ff ff'), hex('ff ff')], 'bad_remaining_length'],
    ['declared length over the limit', [connect, hex('30 ff ff ff 7f')], 'packet_too_large'],
    ['a real packet over the limit', [connect, publish(Buffer.alloc(2000))], 'packet_too_large'],
  ])('%s', (_name, chunks, expected) => {
    expect(scan(1024, ...chunks)).toBe(expected);
  });

  it('accepts a packet of exactly the limit', () => {
    const p = publish(Buffer.alloc(1000));
    expect(scan(p.length, connect, p)).toBeNull();
    expect(scan(p.length - 1, connect, p)).toBe('packet_too_large');
  });

  it('flags a stream that ends inside a packet', () => {
    const s = new FrameScanner(1024);
    const p = publish(Buffer.alloc(100));
    expect(s.push(connect)).toBeNull();
    expect(s.end()).toBeNull();
    expect(s.push(p.subarray(0, 50))).toBeNull();
    expect(s.midPacket).toBe(true);
    expect(s.end()).toBe('truncated_packet');
  });

  it('keeps the first violation', () => {
    const s = new FrameScanner(1024);
    expect(s.push(ping)).toBe('not_connect_first');
    expect(s.push(connect)).toBe('not_connect_first');
    expect(s.packetCount).toBe(0);
  });
});
