import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { HearthbeatBroker } from '../../src/broker/hearthbeat.broker';
import type { BrokerOptions } from '../../src/broker/broker.options';
import type { TestRegistry } from './registry.fixture';

/** Log lines the broker wrote, parsed, for tests that check what is (and is not) logged. */
export class LogCapture {
  readonly lines: Record<string, unknown>[] = [];
  readonly logger: Logger;

  constructor(level: pino.LevelWithSilent = 'info') {
    const lines = this.lines;
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
        cb();
      },
    });
    this.logger = pino({ level }, sink);
  }

  matching(msg: string): Record<string, unknown>[] {
    return this.lines.filter((l) => l['msg'] === msg);
  }
}

/** A broker on 127.0.0.1 with every port chosen by the OS. */
export async function startBroker(reg: TestRegistry, overrides: Partial<BrokerOptions> = {}): Promise<HearthbeatBroker> {
  const broker = new HearthbeatBroker({
    registry: reg.store,
    host: '127.0.0.1',
    mqttPort: 0,
    wsPort: 0,
    httpPort: 0,
    logger: pino({ level: 'silent' }),
    ...overrides,
  });
  await broker.start();
  return broker;
}
