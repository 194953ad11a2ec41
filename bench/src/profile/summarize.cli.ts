import * as fs from 'node:fs';
import { summarizeProfile, summaryMarkdown } from './cpu-profile.summary';

/** `node bench/dist/profile/summarize.cli.js FILE.cpuprofile [TOP]`: self-time table of one profile. */
const [file, top] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bench/dist/profile/summarize.cli.js FILE.cpuprofile [TOP]\n');
  process.exit(2);
}
process.stdout.write(summaryMarkdown(file, summarizeProfile(fs.readFileSync(file, 'utf8'), top ? Number(top) : 25)));
