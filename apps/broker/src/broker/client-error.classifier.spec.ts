import mqtt from 'mqtt-packet';
import { ProtocolViolationError } from './broker.errors';
import { classifyClientError, type ClientErrorClass } from './client-error.classifier';

const withProps = (message: string, props: Record<string, unknown>) => Object.assign(new Error(message), props);

/** The error mqtt-packet's own parser emits for a byte string. */
function parserError(bytes: Buffer): Error {
  const parser = mqtt.parser();
  let error: Error | undefined;
  parser.on('error', (e: Error) => (error = e));
  parser.parse(bytes);
  if (!error) throw new Error('parser accepted the bytes');
  return error;
}

function badProtocolName(): Buffer {
  const connect = mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c', clean: true, keepalive: 0 });
  connect.write('MQTX', 4, 'latin1');
  return connect;
}

describe('classifyClientError', () => {
  it.each<[string, Error, ClientErrorClass]>([
    ['framing violation', new ProtocolViolationError('second_connect'), { kind: 'packet', reason: 'second_connect' }],
    ['MQTT 5 CONNECT', withProps('unacceptable protocol version', { errorCode: 1 }), { kind: 'refused', reason: 'unsupported_protocol' }],
    ['refused by authentication', withProps('bad user name or password', { errorCode: 4 }), { kind: 'connect_refused' }],
    ['keepalive', new Error('keep alive timeout'), { kind: 'timeout', reason: 'keepalive_timeout' }],
    ['no CONNECT in time', new Error('connect did not arrive in time'), { kind: 'timeout', reason: 'connect_timeout' }],
    ['slow consumer', new Error('drain timeout'), { kind: 'timeout', reason: 'drain_timeout' }],
    ['wildcard in PUBLISH', new Error('+ is not allowed in PUBLISH'), { kind: 'packet', reason: 'invalid_topic' }],
    ['empty topic', new Error('empty topic not allowed in PUBLISH'), { kind: 'packet', reason: 'invalid_topic' }],
    ['QoS 2 flood', new Error('maxInflightInbound exceeded: 1000 inbound QoS 2 messages already awaiting PUBREL'), { kind: 'packet', reason: 'flow_control' }],
    ['reset', withProps('read ECONNRESET', { code: 'ECONNRESET' }), { kind: 'network', code: 'ECONNRESET' }],
    ['WebSocket frame too big', withProps('Max payload size exceeded', { code: 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' }), { kind: 'packet', reason: 'packet_too_large' }],
    ['bad protocol name', parserError(badProtocolName()), { kind: 'packet', reason: 'malformed_packet' }],
    ['CONNECT too short', parserError(Buffer.from([0x10, 0x02, 0x00, 0x04])), { kind: 'packet', reason: 'malformed_packet' }],
  ])('%s', (_name, err, expected) => {
    expect(classifyClientError(err)).toEqual(expected);
  });
});
