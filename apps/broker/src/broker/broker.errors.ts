import type { FrameViolation } from '../transport/frame.scanner';

/** A client broke the MQTT framing rules; its connection is closed and the reason counted. */
export class ProtocolViolationError extends Error {
  constructor(readonly reason: FrameViolation) {
    super(`protocol violation: ${reason}`);
    this.name = 'ProtocolViolationError';
  }
}

/** The broker could not start (a port in use, an unreadable certificate, a bad access file). */
export class BrokerStartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BrokerStartError';
  }
}
