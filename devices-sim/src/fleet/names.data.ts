import type { Rng } from '../core/prng.util';

// Common surnames and given names of people born in the 1940s-50s, in pinyin. Plainly made up people.
const SURNAMES = ['Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Zhao', 'Huang', 'Zhou', 'Wu', 'Xu', 'Sun', 'Hu', 'Zhu', 'Gao', 'Lin', 'He', 'Guo', 'Ma', 'Luo', 'Shen', 'Gu', 'Qian', 'Jiang'];
const GIVEN = [
  'Guifen', 'Xiuying', 'Yulan', 'Shuzhen', 'Guiying', 'Fengying', 'Meilan', 'Suzhen', 'Jinfeng', 'Guilan', 'Xiulan', 'Shulan',
  'Jianguo', 'Guoqiang', 'Zhiming', 'Baoshan', 'Defu', 'Yongfu', 'Fuming', 'Jianhua', 'Weimin', 'Qingshan', 'Zhenhua', 'Changgen',
];

export function personName(rng: Rng): string {
  return `${rng.pick(SURNAMES)} ${rng.pick(GIVEN)}`;
}

/** A flat in one of the site's lanes (Shanghai addresses: lane, building number, room). */
export function flatAddress(rng: Rng, siteName: string): string {
  return `Lane ${rng.int(1, 60) * 5}, No. ${rng.int(1, 40)}, Room ${rng.int(1, 7)}0${rng.int(1, 4)}, ${siteName}`;
}

/** Numbers in the 021-5550 block, so they are obviously not real. */
export function phoneNumber(index: number): string {
  return `+86 21 5550 ${String(index % 10000).padStart(4, '0')}`;
}
