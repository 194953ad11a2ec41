import { parser, type Packet } from 'mqtt-packet';
import { FrameReader, encodePublishQos1, writePuback, type Frame } from './wire';

function parseAll(buf: Buffer): Packet[] {
  const out: Packet[] = [];
  const p = parser({ protocolVersion: 4 });
  p.on('packet', (pk: Packet) => out.push(pk));
  p.parse(buf);
  return out;
}

describe('hand-encoded packets agree with mqtt-packet', () => {
  it.each([0, 1, 126, 200, 20_000])('PUBLISH QoS 1 with a %i-byte payload', (size) => {
    const payload = 'x'.repeat(size);
    const [pk] = parseAll(encodePublishQos1(Buffer.from('hb/v1/WM-000001/telemetry'), 4242, payload));
    expect(pk).toMatchObject({ cmd: 'publish', qos: 1, retain: false, dup: false, topic: 'hb/v1/WM-000001/telemetry', messageId: 4242 });
    expect(pk?.cmd === 'publish' && pk.payload.toString()).toBe(payload);
  });

  it('PUBACK', () => {
    const buf = Buffer.alloc(8);
    writePuback(buf, writePuback(buf, 0, 1), 65_535);
    expect(parseAll(buf)).toEqual([expect.objectContaining({ cmd: 'puback', messageId: 1 }), expect.objectContaining({ cmd: 'puback', messageId: 65_535 })]);
  });
});

describe('FrameReader', () => {
  it('finds every packet whatever the chunk boundaries', () => {
    const stream = Buffer.concat([encodePublishQos1(Buffer.from('a/b'), 1, 'one'), encodePublishQos1(Buffer.from('a/b'), 2, 'y'.repeat(300)), Buffer.from([0x40, 2, 0, 7])]);
    for (let cut = 1; cut < stream.length; cut++) {
      const seen: string[] = [];
      const reader = new FrameReader((f: Frame) => seen.push(`${f.type}:${f.end - f.start}`));
      reader.push(stream.subarray(0, cut));
      reader.push(stream.subarray(cut));
      expect(seen).toEqual(['3:10', '3:307', '4:2']);
    }
  });
});
