/** The engine's only source of time. Tests inject one they can move. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Wall clock plus an adjustable offset: lets a test skip hours while real sockets keep working. */
export class OffsetClock implements Clock {
  private offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  skip(ms: number): void {
    this.offsetMs += ms;
  }
}
