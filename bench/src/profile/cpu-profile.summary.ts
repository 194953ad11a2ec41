import * as fs from 'node:fs';

/** The parts of V8's .cpuprofile format (Chrome DevTools protocol, Profiler.Profile) used here. */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTimeRow {
  name: string;
  where: string;
  area: string;
  selfMs: number;
  /** Share of the busy (non-idle) time. */
  percent: number;
}

export interface ProfileSummary {
  busyMs: number;
  idleMs: number;
  top: SelfTimeRow[];
  areas: { area: string; selfMs: number; percent: number }[];
}

function parseProfile(text: string): CpuProfile {
  const p: unknown = JSON.parse(text);
  if (typeof p !== 'object' || p === null || !Array.isArray((p as CpuProfile).nodes) || !Array.isArray((p as CpuProfile).samples)) throw new Error('not a V8 .cpuprofile');
  return p as CpuProfile;
}

/** Which package or project a frame belongs to, from its script URL. */
export function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1] as string;
  const ws = /\/(libs|apps|bench|devices-sim)\/([^/]+)?/.exec(url);
  if (ws) return ws[1] === 'bench' || ws[1] === 'devices-sim' ? ws[1] : `${ws[1]}/${ws[2]}`;
  return url;
}

function shortWhere(url: string, line: number): string {
  if (!url) return '';
  const m = /(?:node_modules|libs|apps)\/.*$/.exec(url);
  return `${m ? m[0] : url.replace(/^file:\/\//, '')}:${line + 1}`;
}

/** Self time per function (and per package) of a V8 CPU profile: where the process itself spent its CPU. */
export function summarizeProfile(text: string, topN = 25): ProfileSummary {
  const p = parseProfile(text);
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  const mean = p.timeDeltas.length ? p.timeDeltas.reduce((a, b) => a + b, 0) / p.timeDeltas.length : 0;
  // A sample's duration is the gap to the next sample (the way DevTools attributes time).
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i + 1] ?? mean)));
  const rows = new Map<string, SelfTimeRow>();
  const areas = new Map<string, number>();
  let idle = 0;
  let busy = 0;
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    busy += us;
    const name = functionName || '(anonymous)';
    const where = shortWhere(url, lineNumber);
    const key = `${name}@${where}`;
    const area = areaOf(url, name);
    const row = rows.get(key) ?? { name, where, area, selfMs: 0, percent: 0 };
    row.selfMs += us / 1000;
    rows.set(key, row);
    areas.set(area, (areas.get(area) ?? 0) + us / 1000);
  }
  const busyMs = busy / 1000;
  const pct = (ms: number) => Math.round((ms / busyMs) * 1000) / 10;
  const top = [...rows.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, topN).map((r) => ({ ...r, selfMs: Math.round(r.selfMs), percent: pct(r.selfMs) }));
  const areaRows = [...areas.entries()].sort((a, b) => b[1] - a[1]).map(([area, ms]) => ({ area, selfMs: Math.round(ms), percent: pct(ms) }));
  return { busyMs: Math.round(busyMs), idleMs: Math.round(idle / 1000), top, areas: areaRows };
}

export function summaryMarkdown(title: string, s: ProfileSummary, areaRows = 12): string {
  const out = [`### ${title}`, '', `busy ${s.busyMs} ms, idle ${s.idleMs} ms`, '', '| self ms | % busy | function | where |', '|---|---|---|---|'];
  for (const r of s.top) out.push(`| ${r.selfMs} | ${r.percent} | \`${r.name}\` | ${r.where} |`);
  out.push('', '| area | self ms | % busy |', '|---|---|---|');
  for (const a of s.areas.slice(0, areaRows)) out.push(`| ${a.area} | ${a.selfMs} | ${a.percent} |`);
  return `${out.join('\n')}\n`;
}

/** Summarises every .cpuprofile under `dir` (one sub-directory per host) into `dir/summary.md`. */
export function summarizeProfileDir(dir: string): string | undefined {
  if (!fs.existsSync(dir)) return undefined;
  const parts: string[] = ['# CPU profiles (self time)', ''];
  for (const host of fs.readdirSync(dir).sort()) {
    const sub = `${dir}/${host}`;
    if (!fs.statSync(sub).isDirectory()) continue;
    for (const file of fs.readdirSync(sub).filter((f) => f.endsWith('.cpuprofile'))) {
      parts.push(summaryMarkdown(`${host}: ${file}`, summarizeProfile(fs.readFileSync(`${sub}/${file}`, 'utf8'))));
    }
  }
  const out = `${dir}/summary.md`;
  fs.writeFileSync(out, parts.join('\n'));
  return out;
}
