import type { RegistryFile } from '@hearthbeat/contracts';
import { USERS } from './fixtures';

/**
 * A small street for the screenshots (`npm run screenshots`): eight homes with a water meter and a
 * smoke alarm each, three lifts, and short escalation and no-activity windows so that the scenes
 * of docs/dashboard.md happen within half a minute.
 */
export const DEMO_SITE = { id: 'jiangsu-road', name: '江苏路街道', timezone: 'Asia/Shanghai' } as const;

const PEOPLE: readonly [string, string][] = [
  ['王秀英', '愚园路 1088 弄 12 号 302 室'],
  ['李桂兰', '江苏路 480 弄 5 号 101 室'],
  ['张玉兰', '长宁路 712 弄 8 号 601 室'],
  ['刘建国', '武夷路 150 弄 2 号 202 室'],
  ['陈淑珍', '安西路 23 弄 6 号 403 室'],
  ['杨德福', '镇宁路 405 弄 1 号 105 室'],
  ['赵美兰', '利西路 66 弄 9 号 301 室'],
  ['黄永福', '宣化路 300 弄 4 号 502 室'],
];

const BUILDINGS = ['愚园路 1088 弄 12 号', '长宁路 712 弄 8 号', '武夷路 150 弄 2 号'];

const id = (prefix: string, n: number) => `${prefix}-${String(n).padStart(4, '0')}`;

export function demoRegistry(): RegistryFile {
  return {
    sites: [
      {
        ...DEMO_SITE,
        // Short tiers so that an escalation is visible within seconds; real sites keep the defaults.
        escalation: { critical: { tiers: [{ afterS: 8, target: 'supervisor' }, { afterS: 3600, target: 'admin' }], reminderEveryS: 0 } },
      },
    ],
    residents: PEOPLE.map(([name, address], i) => ({
      id: id('R', i + 1),
      site: DEMO_SITE.id,
      name,
      address,
      phone: `+86 21 5550 ${String(i + 1).padStart(4, '0')}`,
      devices: [id('WM', i + 1), id('SA', i + 1)],
      // 陈淑珍 (R-0005): a 20 s no-activity window instead of 12 h, so that the alert fires during the run.
      ...(i === 4 ? { rules: { 'water.no_activity': { windowS: 20, minLiters: 10 } } } : {}),
    })),
    elevators: BUILDINGS.map((building, i) => ({ id: id('EL', i + 1), site: DEMO_SITE.id, building, minFloor: -1, maxFloor: 18, ratedSpeedMps: 1.75, device: id('EL', i + 1) })),
    devices: [
      ...PEOPLE.flatMap((_, i) => [
        { id: id('WM', i + 1), kind: 'water_meter' as const, reportIntervalS: 900, secret: `secret-${id('WM', i + 1)}` },
        { id: id('SA', i + 1), kind: 'smoke_alarm' as const, reportIntervalS: 3600, secret: `secret-${id('SA', i + 1)}` },
      ]),
      ...BUILDINGS.map((_, i) => ({ id: id('EL', i + 1), kind: 'elevator' as const, reportIntervalS: 300, secret: `secret-${id('EL', i + 1)}` })),
    ],
    users: [
      ...[USERS.staff, USERS.colleague, USERS.maintainer].map((u) => ({ id: u.id, name: u.name, password: u.password, role: u.role, sites: [DEMO_SITE.id] })),
      { id: 'demo-admin', password: 'admin-password', role: 'admin' as const, sites: [] },
    ],
  };
}
