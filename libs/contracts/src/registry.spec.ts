import { parseRegistryFile } from './registry';
import { SHANGHAI_FIXED_RULE, resolveRuleParams, ruleOverridesSchema } from './rules';

const good = {
  sites: [{ id: 'jiangsu-road', name: 'Jiangsu Road', timezone: 'Asia/Shanghai', rules: { 'water.no_activity': { windowS: 86400 } } }],
  residents: [{ id: 'R-0001', site: 'jiangsu-road', name: 'Wang', devices: ['WM-0001', 'SA-0001'], rules: { 'water.no_activity': { minLiters: 5 } } }],
  elevators: [{ id: 'EL-0001', site: 'jiangsu-road', building: 'No. 3', minFloor: -1, maxFloor: 18, ratedSpeedMps: 1.75, device: 'EL-0001' }],
  devices: [
    { id: 'WM-0001', kind: 'water_meter', reportIntervalS: 900, secret: 'secret-wm-0001' },
    { id: 'SA-0001', kind: 'smoke_alarm' },
    { id: 'EL-0001', kind: 'elevator' },
  ],
  users: [{ id: 'li.bin', password: 'correct horse', role: 'staff', sites: ['jiangsu-road'] }],
};

describe('registry file', () => {
  it('accepts the protocol example', () => {
    const r = parseRegistryFile(good);
    expect(r.ok).toBe(true);
  });
  it('names each cross-reference problem by path', () => {
    const bad = structuredClone(good) as typeof good;
    bad.residents[0]!.site = 'nowhere';
    bad.residents[0]!.devices.push('EL-0001', 'XX-1');
    bad.devices.push({ id: 'WM-0001', kind: 'water_meter', reportIntervalS: 60, secret: 'another-secret' });
    const r = parseRegistryFile(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.problems.map((p) => `${p.path}: ${p.message}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'residents[0].site: unknown site "nowhere"',
        'devices[3].id: duplicate id "WM-0001"',
        'residents[0].devices[2]: device "EL-0001" is of kind elevator; expected water_meter or smoke_alarm',
        'elevators[0].device: device "EL-0001" already belongs to resident R-0001',
        'residents[0].devices[3]: unknown device "XX-1"',
      ]),
    );
  });
  it('refuses a bad time zone and unknown rule parameters', () => {
    const r = parseRegistryFile({ ...good, sites: [{ id: 's', name: 'S', timezone: 'Mars/Olympus', rules: { 'water.no_activity': { window: 5 } } }] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['sites[0].timezone', 'sites[0].rules.water.no_activity']));
  });
  it('resolves parameters, the most specific layer winning', () => {
    const site = ruleOverridesSchema.parse({ 'water.no_activity': { windowS: 86400 } });
    const resident = ruleOverridesSchema.parse({ 'water.no_activity': { minLiters: 5 } });
    expect(resolveRuleParams('water.no_activity', site, resident)).toEqual({ enabled: true, cooldownS: 0, windowS: 86400, minLiters: 5 });
    // The platform default is the 24 h safety net behind the learned routine (docs/rules.md); the
    // Shanghai fixed rule stays available as a named baseline.
    expect(resolveRuleParams('water.no_activity')).toMatchObject({ windowS: 86400, minLiters: 10 });
    expect(SHANGHAI_FIXED_RULE).toEqual({ windowS: 43200, minLiters: 10 });
  });
});
