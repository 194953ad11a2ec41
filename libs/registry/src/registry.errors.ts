import type { z } from 'zod';
import type { RegistryProblem } from '@hearthbeat/contracts';

/** Base of the registry's domain errors; edges map them (CLI exit codes, HTTP 400/404/409). */
export class RegistryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The input (a registry file, a password, an away list) is invalid; every problem is named by path. */
export class RegistryValidationError extends RegistryError {
  constructor(
    readonly problems: RegistryProblem[],
    /** What was wrong, without the details: "invalid registry file", "conflicts with the stored registry". */
    readonly summary = 'invalid registry input',
  ) {
    super(`${summary}: ${problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ')}`);
  }
}

/** The input is valid on its own but contradicts what the registry already holds. */
export class RegistryConflictError extends RegistryValidationError {
  constructor(problems: RegistryProblem[]) {
    super(problems, 'conflicts with the stored registry');
  }
}

export type RegistryEntityType = 'site' | 'resident' | 'elevator' | 'device' | 'user';

export class RegistryNotFoundError extends RegistryError {
  constructor(
    readonly entity: RegistryEntityType,
    readonly id: string,
  ) {
    super(`unknown ${entity} "${id}"`);
  }
}

/** Zod issues as registry problems, paths written as in the contracts (`away[0].to`), under `prefix`. */
export function problemsOf(error: z.ZodError, prefix: string): RegistryProblem[] {
  return error.issues.map((i) => ({
    path: i.path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), prefix),
    message: i.message,
  }));
}
