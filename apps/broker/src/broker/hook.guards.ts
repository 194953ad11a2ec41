import type { AedesOptions } from 'aedes';

type Hooks = Required<Pick<AedesOptions, 'preConnect' | 'authenticate' | 'authorizePublish' | 'authorizeSubscribe' | 'authorizeForward'>>;

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

/**
 * aedes calls its hooks inside the socket's data handler, so an exception thrown by one (say, the
 * registry closed under a running broker) would escape as an uncaught exception and end the process.
 * Each hook is wrapped: the fault is reported and only the client concerned is affected (its CONNECT
 * or PUBLISH fails and aedes closes it, a subscription gets 0x80, a delivery is skipped).
 */
export function guardHooks(hooks: Hooks, report: (hook: keyof Hooks, err: unknown) => void): Hooks {
  return {
    preConnect(client, packet, callback) {
      try {
        hooks.preConnect(client, packet, callback);
      } catch (err) {
        report('preConnect', err);
        callback(asError(err), false);
      }
    },
    authenticate(client, username, password, done) {
      try {
        hooks.authenticate(client, username, password, done);
      } catch (err) {
        report('authenticate', err);
        done(Object.assign(asError(err), { returnCode: 3 as const }), null);
      }
    },
    authorizePublish(client, packet, callback) {
      try {
        hooks.authorizePublish(client, packet, callback);
      } catch (err) {
        report('authorizePublish', err);
        callback(asError(err));
      }
    },
    authorizeSubscribe(client, sub, callback) {
      try {
        hooks.authorizeSubscribe(client, sub, callback);
      } catch (err) {
        report('authorizeSubscribe', err);
        callback(null, null);
      }
    },
    authorizeForward(client, packet) {
      try {
        return hooks.authorizeForward(client, packet);
      } catch (err) {
        report('authorizeForward', err);
        return null;
      }
    },
  };
}
