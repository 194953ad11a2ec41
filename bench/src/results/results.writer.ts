import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BenchResults } from './bench-results';
import { resultsMarkdown } from './results.markdown';

export const README_START = '<!-- bench:latest:start -->';
export const README_END = '<!-- bench:latest:end -->';

/** Writes latest.json and latest.md into `dir` (through a temporary file, so a reader never sees half a file). */
export function writeResults(dir: string, results: BenchResults): { json: string; md: string } {
  fs.mkdirSync(dir, { recursive: true });
  const json = path.join(dir, 'latest.json');
  const md = path.join(dir, 'latest.md');
  const put = (file: string, text: string) => {
    fs.writeFileSync(`${file}.tmp`, text);
    fs.renameSync(`${file}.tmp`, file);
  };
  put(json, `${JSON.stringify(results, null, 2)}\n`);
  put(md, `# Latest benchmark results\n\n${resultsMarkdown(results)}`);
  return { json, md };
}

/** Replaces the README's results section (between the markers) with this run's table. */
export function updateReadme(readme: string, results: BenchResults): boolean {
  if (!fs.existsSync(readme)) return false;
  const text = fs.readFileSync(readme, 'utf8');
  const a = text.indexOf(README_START);
  const b = text.indexOf(README_END);
  if (a < 0 || b < a) return false;
  fs.writeFileSync(readme, `${text.slice(0, a + README_START.length)}\n${resultsMarkdown(results)}${text.slice(b)}`);
  return true;
}
