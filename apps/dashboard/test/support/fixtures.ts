import type { RegistryFile } from '@hearthbeat/contracts';

/** People of the browser tests: two staff of one site, one of another, a maintainer. Test passwords only. */
export const USERS = {
  staff: { id: 'li.bin', name: '李斌', password: 'staff-password', role: 'staff', sites: ['jiangsu-road'] },
  colleague: { id: 'wu.fang', name: '吴芳', password: 'staff2-password', role: 'staff', sites: ['jiangsu-road'] },
  otherSite: { id: 'zhou.min', name: '周敏', password: 'other-password', role: 'staff', sites: ['yan-an'] },
  maintainer: { id: 'lift.tech', name: '陆师傅', password: 'maint-password', role: 'maintainer', sites: ['jiangsu-road'] },
} as const;

/** Two sites, each with its own residents and smoke alarms; one lift at the first. */
export function e2eRegistry(): RegistryFile {
  return {
    sites: [
      { id: 'jiangsu-road', name: '江苏路街道', timezone: 'Asia/Shanghai' },
      { id: 'yan-an', name: '延安路街道', timezone: 'Asia/Shanghai' },
    ],
    residents: [
      { id: 'R-0001', site: 'jiangsu-road', name: '王秀英', address: '愚园路 1088 弄 12 号 302 室', phone: '+86 21 5550 0001', devices: ['WM-0001', 'SA-0001'] },
      { id: 'R-0002', site: 'jiangsu-road', name: '李桂兰', address: '江苏路 480 弄 5 号 101 室', devices: ['WM-0002'] },
      { id: 'R-0101', site: 'yan-an', name: '孙美兰', address: '延安西路 200 弄 3 号 201 室', devices: ['SA-0101'] },
    ],
    elevators: [{ id: 'EL-0001', site: 'jiangsu-road', building: '3号楼', minFloor: -1, maxFloor: 18, ratedSpeedMps: 1.75, device: 'EL-0001' }],
    devices: [
      { id: 'WM-0001', kind: 'water_meter', reportIntervalS: 900, secret: 'secret-WM-0001' },
      { id: 'SA-0001', kind: 'smoke_alarm', reportIntervalS: 3600, secret: 'secret-SA-0001' },
      { id: 'WM-0002', kind: 'water_meter', reportIntervalS: 900, secret: 'secret-WM-0002' },
      { id: 'SA-0101', kind: 'smoke_alarm', reportIntervalS: 3600, secret: 'secret-SA-0101' },
      { id: 'EL-0001', kind: 'elevator', reportIntervalS: 3600, secret: 'secret-EL-0001' },
    ],
    users: Object.values(USERS).map((u) => ({ id: u.id, name: u.name, password: u.password, role: u.role, sites: [...u.sites] })),
  };
}
