import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RegistryFile } from '@hearthbeat/contracts';
import { runWindow } from '../cli/run-window';
import type { SimOptions } from '../cli/sim-options';
import { buildFleet } from '../fleet/sim-fleet.builder';
import { generateRegistry, type FleetOptions } from '../fleet/registry.generator';
import { answerLines } from './answer-lines';
import { LineWriter } from './line.writer';
import { messageLines } from './message-lines';
import { mergeLines } from './message-merge';

export interface FileSummary {
  path: string;
  bytes: number;
  lines: number;
}

export interface OfflineSummary {
  start: number;
  end: number;
  devices: number;
  registry: FileSummary;
  messages: FileSummary;
  truth: FileSummary;
  answers: FileSummary;
  wallMs: number;
  warnings: string[];
  users: { id: string; role: string; password: string }[];
}

export function fleetOptions(opts: SimOptions): FleetOptions {
  return {
    seed: opts.seed,
    residents: opts.residents,
    elevators: opts.elevators,
    site: opts.site,
    meterIntervalS: opts.intervalS,
    batch: opts.batch,
    heartbeatS: opts.heartbeatS,
    elevatorIntervalS: 30,
  };
}

/** Stable, readable JSON for the registry file (two-space indent, trailing newline). */
export function registryJson(registry: RegistryFile): string {
  return `${JSON.stringify(registry, null, 2)}\n`;
}

/**
 * Offline mode: generates the fleet and writes DIR/registry.json, DIR/messages.jsonl (every message in
 * receive order, merged across devices with bounded memory), DIR/truth.jsonl and DIR/answers.jsonl (how
 * each resident would answer a check-in call, for the backtest). Nothing here reads the wall clock or
 * Math.random, so the same options give the same bytes.
 */
export async function runOffline(opts: SimOptions & { out: string }): Promise<OfflineSummary> {
  const began = performance.now();
  const { start, end } = runWindow(opts, () => {
    throw new Error('offline runs never read the clock');
  });
  const fleet = buildFleet(generateRegistry(fleetOptions(opts)), { seed: opts.seed, start, end, batch: opts.batch }, {
    scheduled: opts.scenarios,
    incidentRate: opts.incidentRate,
    elevatorIncidentRate: opts.elevatorIncidentRate,
    showcase: opts.showcase,
  });
  await mkdir(opts.out, { recursive: true });
  const registryPath = path.join(opts.out, 'registry.json');
  const registryText = registryJson(fleet.registry);
  await writeFile(registryPath, registryText);

  const messages = new LineWriter(path.join(opts.out, 'messages.jsonl'));
  const sources = fleet.devices.map((d) => messageLines(d, opts.seed, opts.keepaliveS));
  for (const line of mergeLines(sources, end)) {
    const pending = messages.write(line.text);
    if (pending) await pending;
  }
  await messages.close();

  // Truth is complete only now: elevator incidents are recorded as their streams play them.
  const truthLines = fleet.truth.sorted(end);
  const truth = new LineWriter(path.join(opts.out, 'truth.jsonl'));
  for (const t of truthLines) await truth.write(JSON.stringify(t));
  await truth.close();

  const answers = new LineWriter(path.join(opts.out, 'answers.jsonl'));
  for (const a of answerLines(fleet.residents, truthLines, start, end)) {
    const pending = answers.write(JSON.stringify(a));
    if (pending) await pending;
  }
  await answers.close();

  return {
    start,
    end,
    devices: fleet.devices.length,
    registry: { path: registryPath, bytes: Buffer.byteLength(registryText), lines: registryText.split('\n').length - 1 },
    messages: { path: path.join(opts.out, 'messages.jsonl'), bytes: messages.bytes, lines: messages.lines },
    truth: { path: path.join(opts.out, 'truth.jsonl'), bytes: truth.bytes, lines: truth.lines },
    answers: { path: path.join(opts.out, 'answers.jsonl'), bytes: answers.bytes, lines: answers.lines },
    wallMs: performance.now() - began,
    warnings: fleet.plan.warnings,
    users: (fleet.registry.users ?? []).map((u) => ({ id: u.id, role: u.role, password: u.password ?? '' })),
  };
}
