import type { DeviceRecord, RegistryStore, UserRecord } from '@hearthbeat/registry';
import type { AuthFailureReason } from '../metrics/broker.metrics';

/** The part of the registry the broker needs; `RegistryStore` satisfies it, so the platform passes its store. */
export type BrokerRegistry = Pick<RegistryStore, 'getDevice' | 'getUser' | 'verifyDeviceSecret' | 'verifyUserPassword'>;

export type ClientIdentity =
  | { kind: 'device'; clientId: string; username: string; device: DeviceRecord }
  | { kind: 'service' | 'user'; clientId: string; username: string; user: UserRecord }
  | { kind: 'anonymous'; clientId: string };

/** CONNACK return codes of MQTT 3.1.1 (Table 3.1) that authentication can answer. */
export type RefusalCode = 2 | 4 | 5;

export type AuthOutcome = { ok: true; identity: ClientIdentity } | { ok: false; returnCode: RefusalCode; reason: AuthFailureReason; detail: string };

export interface ConnectAttempt {
  /** The client id as sent (possibly empty). */
  clientId: string;
  /** The id aedes uses: the one sent, or one it assigned to a zero-length id. */
  effectiveClientId: string;
  clean: boolean;
  username?: string;
  password?: Buffer;
}

export interface AuthenticatorOptions {
  allowAnonymous: boolean;
  /** Whether the access file has a section for this username: such users may connect whatever their role. */
  hasAclSection: (username: string) => boolean;
}

const MAX_CLIENT_ID_LENGTH = 128;
// CVE-2017-7650: wildcards in a client id would widen %c patterns; control characters make logs lie.
// eslint-disable-next-line no-control-regex
const BAD_CLIENT_ID = /[+#\u0000-\u001f\u007f]/;

const refuse = (returnCode: RefusalCode, reason: AuthFailureReason, detail: string): AuthOutcome => ({ ok: false, returnCode, reason, detail });

/**
 * Decides who a CONNECT is (protocol.md, "Transport and identity"): a device (client id = username =
 * device id, password = its secret), a service user, a user the access file names, or anonymous.
 * Credentials are checked before identity rules, so a wrong password always answers 4 whatever else is wrong.
 */
export class ConnectAuthenticator {
  constructor(
    private readonly registry: BrokerRegistry,
    private readonly options: AuthenticatorOptions,
  ) {}

  async authenticate(a: ConnectAttempt): Promise<AuthOutcome> {
    // [MQTT-3.1.3-8] a zero-length client id needs CleanSession=1, else CONNACK 0x02 [MQTT-3.1.3-9].
    if (a.clientId === '' && !a.clean) return refuse(2, 'identifier_rejected', 'zero-length client id with CleanSession=0');
    if (a.clientId.length > MAX_CLIENT_ID_LENGTH) return refuse(2, 'identifier_rejected', `client id longer than ${MAX_CLIENT_ID_LENGTH}`);
    if (BAD_CLIENT_ID.test(a.clientId)) return refuse(2, 'identifier_rejected', 'client id holds a wildcard or a control character');

    const clientId = a.effectiveClientId;
    if (a.username === undefined) {
      if (!this.options.allowAnonymous) return refuse(5, 'anonymous_not_allowed', 'no username and HB_MQTT_ALLOW_ANONYMOUS is false');
      // A device id is reserved for its device: taking it over would disconnect the device [MQTT-3.1.4-2].
      if (this.registry.getDevice(clientId)) return refuse(5, 'client_id_mismatch', `client id ${clientId} belongs to a device`);
      return { ok: true, identity: { kind: 'anonymous', clientId } };
    }
    if (a.password === undefined) return refuse(4, 'missing_password', `username ${a.username} without a password`);
    const password = a.password.toString('utf8');

    const device = this.registry.getDevice(a.username);
    if (device) {
      if (!(await this.registry.verifyDeviceSecret(device.id, password))) return refuse(4, 'bad_password', `wrong secret for device ${device.id}`);
      if (clientId !== device.id) return refuse(5, 'client_id_mismatch', `device ${device.id} connected with client id ${clientId}`);
      return { ok: true, identity: { kind: 'device', clientId, username: device.id, device } };
    }

    const known = this.registry.getUser(a.username) !== undefined;
    const user = await this.registry.verifyUserPassword(a.username, password);
    if (!user) return known ? refuse(4, 'bad_password', `wrong password for user ${a.username}`) : refuse(4, 'unknown_username', `no device or user ${a.username}`);
    if (this.registry.getDevice(clientId)) return refuse(5, 'client_id_mismatch', `user ${user.id} used the client id of device ${clientId}`);
    if (user.role === 'service') return { ok: true, identity: { kind: 'service', clientId, username: user.id, user } };
    if (this.options.hasAclSection(user.id)) return { ok: true, identity: { kind: 'user', clientId, username: user.id, user } };
    return refuse(5, 'role_not_allowed', `user ${user.id} has role ${user.role}; MQTT needs role service or a section in the access file`);
  }
}
