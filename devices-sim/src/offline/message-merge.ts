import { MinHeap } from '../core/heap.util';
import type { LogLine } from './message-lines';

interface Head {
  line: LogLine;
  source: number;
  lines: Iterator<LogLine, void>;
}

/**
 * k-way merge of per-device line streams by receive time (ties by device order), stopping each stream at
 * `end`. Only one pending line per device is held, so memory depends on the fleet, not on the run's length.
 */
export function* mergeLines(sources: Iterator<LogLine, void>[], end: number): Generator<LogLine, void> {
  const heap = new MinHeap<Head>((a, b) => a.line.t < b.line.t || (a.line.t === b.line.t && a.source < b.source));
  const advance = (lines: Iterator<LogLine, void>, source: number) => {
    const r = lines.next();
    if (!r.done && r.value.t < end) heap.push({ line: r.value, source, lines });
  };
  sources.forEach((lines, i) => advance(lines, i));
  for (let head = heap.pop(); head; head = heap.pop()) {
    yield head.line;
    advance(head.lines, head.source);
  }
}
