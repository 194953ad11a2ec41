import { serveParent, sendToParent, type IpcMessage } from '../core/ipc';
import { epochNow } from '../core/stats';
import { SinkSubscriber, type SinkOptions } from './sink.subscriber';

/** Parent -> subscriber. */
export type SubscriberCommand = ({ type: 'subscribe' } & SinkOptions) | { type: 'exit' };

/** How often the count goes to the parent (which relays it to the load generator's backlog bound). */
const REPORT_MS = 50;

const sink = new SinkSubscriber();
let reporter: NodeJS.Timeout | undefined;

serveParent(async (raw: IpcMessage) => {
  const msg = raw as SubscriberCommand;
  if (msg.type === 'subscribe') {
    await sink.start(msg);
    reporter = setInterval(() => sendToParent({ type: 'count', count: sink.received, at: epochNow() }), REPORT_MS);
    sendToParent({ type: 'subscribed' });
  } else if (msg.type === 'exit') {
    if (reporter) clearInterval(reporter);
    await sink.stop();
    process.exit(0);
  }
});
sendToParent({ type: 'hello' });
