import { Duplex } from 'node:stream';
import { ProtocolViolationError } from '../broker/broker.errors';
import { FrameScanner } from './frame.scanner';

/**
 * The stream aedes reads and writes for one client: the raw socket (TCP, TLS or a WebSocket stream)
 * with a {@link FrameScanner} on the way in. On a framing violation the connection is destroyed with a
 * {@link ProtocolViolationError} before aedes sees the bytes, so aedes reports it as a client error
 * and fires the Will as for any unclean close. Backpressure is passed through both ways.
 */
export class GuardedConnection extends Duplex {
  private readonly scanner: FrameScanner;

  constructor(
    private readonly socket: Duplex,
    maxPacketBytes: number,
  ) {
    super({ allowHalfOpen: false });
    this.scanner = new FrameScanner(maxPacketBytes);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.onEnd());
    socket.on('error', (err: Error) => this.destroy(err));
    socket.on('close', () => this.destroy());
  }

  /** Packets the scanner has framed so far (for logs). */
  get packetCount(): number {
    return this.scanner.packetCount;
  }

  private onData(chunk: Buffer): void {
    if (this.destroyed) return;
    const violation = this.scanner.push(chunk);
    if (violation) {
      this.destroy(new ProtocolViolationError(violation));
      return;
    }
    if (!this.push(chunk)) this.socket.pause();
  }

  private onEnd(): void {
    const violation = this.scanner.end();
    if (violation) this.destroy(new ProtocolViolationError(violation));
    else this.push(null);
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.socket.destroyed) {
      callback(new Error('socket closed'));
      return;
    }
    this.socket.write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.socket.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.socket.destroy();
    callback(error);
  }
}
