/**
 * Watches the byte stream of one MQTT 3.1.1 connection at the framing level, before aedes parses it,
 * and names the first protocol violation. It only reads fixed headers and skips bodies, so an
 * oversize packet is refused as soon as its header arrives instead of after buffering it whole.
 * Everything inside a packet's body is left to mqtt-packet.
 */

export const FRAME_VIOLATIONS = [
  'packet_too_large',
  'bad_remaining_length',
  'unknown_packet_type',
  'unexpected_packet_type',
  'reserved_flags',
  'invalid_qos',
  'not_connect_first',
  'second_connect',
  'truncated_packet',
] as const;
export type FrameViolation = (typeof FRAME_VIOLATIONS)[number];

const CONNECT = 1;
const PUBLISH = 3;
/** Server-to-client packets a client must never send: CONNACK, SUBACK, UNSUBACK, PINGRESP. */
const SERVER_ONLY = new Set([2, 9, 11, 13]);
/** [MQTT-2.2.2-1] Table 2.2: PUBREL, SUBSCRIBE and UNSUBSCRIBE carry flags 0010, all others but PUBLISH 0000. */
const FLAGS_0010 = new Set([6, 8, 10]);

export class FrameScanner {
  private phase: 'header' | 'length' | 'body' = 'header';
  private lengthValue = 0;
  private lengthMultiplier = 1;
  private lengthBytes = 0;
  private bodyLeft = 0;
  private packets = 0;
  private violation: FrameViolation | null = null;

  constructor(private readonly maxPacketBytes: number) {}

  /** Packets whose fixed header was read completely. */
  get packetCount(): number {
    return this.packets;
  }

  /** True when the stream stopped inside a packet (a close now leaves it truncated). */
  get midPacket(): boolean {
    return this.phase !== 'header';
  }

  /** Scans a chunk; returns the first violation (sticky: every later call returns it too). */
  push(chunk: Uint8Array): FrameViolation | null {
    let i = 0;
    while (i < chunk.length && this.violation === null) {
      switch (this.phase) {
        case 'header':
          this.violation = this.header(chunk[i++] as number);
          break;
        case 'length':
          this.violation = this.length(chunk[i++] as number);
          break;
        case 'body': {
          const take = Math.min(this.bodyLeft, chunk.length - i);
          i += take;
          this.bodyLeft -= take;
          if (this.bodyLeft === 0) this.phase = 'header';
          break;
        }
      }
    }
    return this.violation;
  }

  /** Call when the peer closed its side: a packet cut short is a violation. */
  end(): FrameViolation | null {
    if (this.violation === null && this.midPacket) this.violation = 'truncated_packet';
    return this.violation;
  }

  private header(byte: number): FrameViolation | null {
    const type = byte >> 4;
    const flags = byte & 0x0f;
    // [MQTT-2.2.1] Table 2.1: 0 and 15 are reserved in 3.1.1.
    if (type === 0 || type === 15) return 'unknown_packet_type';
    // [MQTT-3.1.0-1] the first packet must be CONNECT; [MQTT-3.1.0-2] a second CONNECT is a violation.
    if (this.packets === 0 && type !== CONNECT) return 'not_connect_first';
    if (this.packets > 0 && type === CONNECT) return 'second_connect';
    if (SERVER_ONLY.has(type)) return 'unexpected_packet_type';
    if (type === PUBLISH) {
      // [MQTT-3.3.1-4] both QoS bits set.
      if ((flags & 0x06) === 0x06) return 'invalid_qos';
    } else if (flags !== (FLAGS_0010.has(type) ? 0x02 : 0x00)) {
      // [MQTT-2.2.2-2] invalid flags: the receiver must close the connection.
      return 'reserved_flags';
    }
    this.phase = 'length';
    this.lengthValue = 0;
    this.lengthMultiplier = 1;
    this.lengthBytes = 0;
    return null;
  }

  private length(byte: number): FrameViolation | null {
    this.lengthValue += (byte & 0x7f) * this.lengthMultiplier;
    this.lengthMultiplier *= 128;
    this.lengthBytes++;
    if (byte & 0x80) {
      // [MQTT-2.2.3] the Remaining Length takes at most four bytes.
      return this.lengthBytes >= 4 ? 'bad_remaining_length' : null;
    }
    const total = 1 + this.lengthBytes + this.lengthValue;
    if (total > this.maxPacketBytes) return 'packet_too_large';
    this.packets++;
    this.bodyLeft = this.lengthValue;
    this.phase = this.bodyLeft > 0 ? 'body' : 'header';
    return null;
  }
}
