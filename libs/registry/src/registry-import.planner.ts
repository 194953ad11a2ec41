import type { DeviceKind, RegistryFile, RegistryProblem } from '@hearthbeat/contracts';
import type { RegistrySnapshot, SubjectRef } from './registry.snapshot';

const KINDS_FOR: Record<SubjectRef['type'], readonly DeviceKind[]> = {
  resident: ['water_meter', 'smoke_alarm'],
  elevator: ['elevator'],
};

export function kindSuitsOwner(kind: DeviceKind, owner: SubjectRef): boolean {
  return KINDS_FOR[owner.type].includes(kind);
}

function describe(owner: SubjectRef): string {
  return `${owner.type} ${owner.id}`;
}

/**
 * An import upserts: stored entities missing from the file stay. `parseRegistryFile` checks the file on
 * its own; this checks what it cannot see, that the file agrees with the stored subjects it leaves
 * alone: a device claimed in the file must not belong to a stored subject absent from the file, and a
 * device whose kind the file changes must still suit such a subject. Problems use the file's paths.
 */
export function findMergeConflicts(file: RegistryFile, stored: RegistrySnapshot): RegistryProblem[] {
  const inFile = {
    resident: new Set(file.residents.map((r) => r.id)),
    elevator: new Set(file.elevators.map((e) => e.id)),
  };
  /** The stored owner of a device when that owner is not redefined by the file. */
  const keptOwner = (deviceId: string): SubjectRef | undefined => {
    const owner = stored.owners.get(deviceId);
    return owner && !inFile[owner.type].has(owner.id) ? owner : undefined;
  };
  const problems: RegistryProblem[] = [];
  const claim = (deviceId: string, path: string) => {
    const owner = keptOwner(deviceId);
    if (owner) problems.push({ path, message: `device "${deviceId}" already belongs to ${describe(owner)} in the stored registry` });
  };
  file.residents.forEach((r, i) => r.devices.forEach((d, j) => claim(d, `residents[${i}].devices[${j}]`)));
  file.elevators.forEach((e, i) => claim(e.device, `elevators[${i}].device`));
  file.devices.forEach((d, i) => {
    const owner = keptOwner(d.id);
    if (owner && !kindSuitsOwner(d.kind, owner)) {
      problems.push({
        path: `devices[${i}].kind`,
        message: `device "${d.id}" belongs to ${describe(owner)} in the stored registry, which needs kind ${KINDS_FOR[owner.type].join(' or ')}`,
      });
    }
  });
  return problems;
}

/** Runs `fn` over `items` with at most `limit` calls in flight, keeping the order of the results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  // One iterator shared by the workers: each takes the next item when it is free.
  const queue = items.entries();
  const worker = async () => {
    for (const [i, item] of queue) results[i] = await fn(item, i);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
