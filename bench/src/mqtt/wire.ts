/**
 * The two packets on the hot path, encoded by hand: a QoS 1 PUBLISH (device side) and a PUBACK
 * (subscriber side). mqtt-packet's generic generator builds an object and a stream per packet; at
 * tens of thousands of messages a second on a 2-core machine the load generator would then steal the
 * CPU it is meant to measure. The spec checks these bytes against mqtt-packet's own parser.
 * Everything else (CONNECT, SUBSCRIBE, PINGREQ, DISCONNECT) goes through mqtt-packet.
 */

/** Bytes of an MQTT "Remaining Length" varint ([MQTT-2.2.3]). */
function varintLength(n: number): number {
  return n < 128 ? 1 : n < 16_384 ? 2 : n < 2_097_152 ? 3 : 4;
}

function writeVarint(buf: Buffer, at: number, n: number): number {
  let v = n;
  do {
    let byte = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) byte |= 0x80;
    buf[at++] = byte;
  } while (v > 0);
  return at;
}

/** PUBLISH, QoS 1, not retained, not a duplicate ([MQTT-3.3]): 0x32, length, topic, packet id, payload. */
export function encodePublishQos1(topic: Buffer, messageId: number, payload: string): Buffer {
  const payloadBytes = Buffer.byteLength(payload);
  const remaining = 2 + topic.length + 2 + payloadBytes;
  const buf = Buffer.allocUnsafe(1 + varintLength(remaining) + remaining);
  buf[0] = 0x32;
  let at = writeVarint(buf, 1, remaining);
  buf.writeUInt16BE(topic.length, at);
  at += 2;
  at += topic.copy(buf, at);
  buf.writeUInt16BE(messageId, at);
  at += 2;
  buf.write(payload, at, 'utf8');
  return buf;
}

/** PUBACK for a packet id ([MQTT-3.4]), written into `buf` at `at`; returns the next offset. */
export function writePuback(buf: Buffer, at: number, messageId: number): number {
  buf[at] = 0x40;
  buf[at + 1] = 0x02;
  buf.writeUInt16BE(messageId, at + 2);
  return at + 4;
}

/** One complete control packet: type (upper 4 bits), flags (lower 4) and its body. */
export interface Frame {
  type: number;
  flags: number;
  buf: Buffer;
  start: number;
  end: number;
}

/**
 * Splits a TCP byte stream into MQTT control packets without copying when a chunk holds whole packets
 * (the usual case); a packet cut between chunks is reassembled. `onFrame` must not keep `buf`.
 */
export class FrameReader {
  private pending: Buffer | undefined;
  private readonly frame: Frame = { type: 0, flags: 0, buf: Buffer.alloc(0), start: 0, end: 0 };

  constructor(private readonly onFrame: (f: Frame) => void) {}

  push(chunk: Buffer): void {
    let buf = chunk;
    if (this.pending) {
      buf = Buffer.concat([this.pending, chunk]);
      this.pending = undefined;
    }
    let at = 0;
    const n = buf.length;
    while (at < n) {
      if (n - at < 2) break;
      let remaining = 0;
      let mult = 1;
      let i = at + 1;
      let complete = false;
      for (let k = 0; k < 4 && i < n; k++) {
        const byte = buf[i++] as number;
        remaining += (byte & 0x7f) * mult;
        mult *= 128;
        if ((byte & 0x80) === 0) {
          complete = true;
          break;
        }
      }
      if (!complete || i + remaining > n) break;
      const head = buf[at] as number;
      const f = this.frame;
      f.type = head >> 4;
      f.flags = head & 0x0f;
      f.buf = buf;
      f.start = i;
      f.end = i + remaining;
      this.onFrame(f);
      at = i + remaining;
    }
    if (at < n) this.pending = Buffer.from(buf.subarray(at));
  }
}

export const PACKET = { CONNACK: 2, PUBLISH: 3, PUBACK: 4, SUBACK: 9, PINGRESP: 13 } as const;
