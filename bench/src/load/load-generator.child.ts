import { serveParent, sendToParent, type IpcMessage } from '../core/ipc';
import { LoadGenerator } from './load.generator';
import type { ConnectPlan, LoadCommand } from './load.protocol';

/**
 * Forked by the bench: the device side of a measurement, in its own process so that generating load
 * never shares an event loop with what is measured. Commands arrive over IPC (load.protocol.ts).
 */
const gen = new LoadGenerator();
let devices: ConnectPlan['devices'] = [];

serveParent(async (raw: IpcMessage) => {
  const msg = raw as LoadCommand;
  switch (msg.type) {
    case 'connect': {
      devices = msg.devices;
      sendToParent(await gen.connect(msg));
      return;
    }
    case 'start':
      gen.start(msg, devices);
      sendToParent({ type: 'started' });
      return;
    case 'delivered':
      gen.setDelivered(msg.delivered);
      return;
    case 'stop':
      sendToParent(await gen.stop(msg.timeoutMs));
      return;
    case 'close':
      await gen.close();
      sendToParent({ type: 'closed' });
      return;
    case 'exit':
      await gen.close();
      process.exit(0);
  }
});
sendToParent({ type: 'hello' });
