import { DEFAULT_REPORT_INTERVAL_S, DEVICE_ID_PATTERN, DEVICE_KINDS, isDeviceKind } from '@hearthbeat/contracts';
import type { DeviceRecord } from '@hearthbeat/registry';
import { EXIT_OK, UsageError, stringOption, type CommandSpec } from './cli.types';

const PATH = ['device', 'provision'] as const;
/** deviceSchema's bound on reportIntervalS (one week). */
const MAX_INTERVAL_S = 7 * 24 * 3600;

function describe(d: DeviceRecord): string {
  const owner = d.subject ? `, ${d.subject.type} ${d.subject.id} at ${d.subject.site}` : ', not assigned to a resident or elevator yet';
  return `${d.id} (${d.kind}, reports every ${d.reportIntervalS} s${owner})`;
}

export const deviceProvisionCommand: CommandSpec = {
  path: PATH,
  synopsis: `ID --kind ${DEVICE_KINDS.join('|')} [--interval S]`,
  summary: 'create or re-key a device and print its new secret once',
  details: [
    'Options:',
    `  --kind KIND     ${DEVICE_KINDS.join(', ')} (required)`,
    `  --interval S    seconds between regular messages, 1..${MAX_INTERVAL_S}; defaults: ${DEVICE_KINDS.map((k) => `${k} ${DEFAULT_REPORT_INTERVAL_S[k]}`).join(', ')}`,
    '',
    'The secret (256 random bits) is printed once and stored only as a salted scrypt hash. Provisioning an',
    'existing device gives it a new secret: the old one stops working at once. The device connects with',
    'client id = username = ID and password = the secret.',
    '',
    'Example:',
    '  npm run hb -- device provision WM-0001 --kind water_meter --interval 900',
  ].join('\n'),
  options: { kind: { type: 'string' }, interval: { type: 'string' } },
  positionals: ['ID'],
  requiredPositionals: 1,
  async run({ values, positionals }, ctx) {
    const id = positionals[0] ?? '';
    if (!DEVICE_ID_PATTERN.test(id)) throw new UsageError(`device id "${id}" must match ${DEVICE_ID_PATTERN.source}`, PATH);
    const kind = stringOption(values, 'kind');
    if (kind === undefined) throw new UsageError('--kind is required', PATH);
    if (!isDeviceKind(kind)) throw new UsageError(`--kind must be one of ${DEVICE_KINDS.join(', ')}, not "${kind}"`, PATH);
    const intervalText = stringOption(values, 'interval');
    let reportIntervalS: number | undefined;
    if (intervalText !== undefined) {
      reportIntervalS = /^[0-9]{1,7}$/.test(intervalText) ? Number(intervalText) : NaN;
      if (!(reportIntervalS >= 1 && reportIntervalS <= MAX_INTERVAL_S)) {
        throw new UsageError(`--interval must be a whole number of seconds from 1 to ${MAX_INTERVAL_S}, not "${intervalText}"`, PATH);
      }
    }
    const store = await ctx.openStore();
    try {
      const { device, secret } = await store.provisionDevice(reportIntervalS === undefined ? { id, kind } : { id, kind, reportIntervalS });
      ctx.stdout(
        `provisioned device ${describe(device)}\n` +
          `secret: ${secret}\n` +
          'This secret will not be shown again: configure it in the device now. Provisioning again replaces it.\n',
      );
      return EXIT_OK;
    } finally {
      store.close();
    }
  },
};
