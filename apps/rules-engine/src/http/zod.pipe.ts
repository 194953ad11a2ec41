import type { PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { InvalidRequestError } from './api.errors';

/** `a.b[2].c`, as the registry problems write paths. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/**
 * Parses request input with a zod schema: the typed value, or InvalidRequestError naming the first bad
 * field (and listing every problem). Input is never cast: what reaches a handler went through here.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where: 'body' | 'query' | 'message' = 'body'): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  // An unknown key is named by the key itself, so that `field` points at what to remove.
  const problems = result.error.issues.map((i) => ({ path: fieldPath(i.code === 'unrecognized_keys' ? [...i.path, i.keys[0] ?? ''] : i.path), message: i.message }));
  const first = problems[0] ?? { path: '', message: 'invalid input' };
  const message = first.path ? `${where} field "${first.path}": ${first.message}` : `${where}: ${first.message}`;
  return failWith(new InvalidRequestError(message, first.path || undefined, problems));
}

function failWith(err: InvalidRequestError): never {
  throw err;
}

/** `@Body(new ZodPipe(schema))`: a missing body counts as `{}`, so that the missing field gets named. */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    private readonly schema: S,
    private readonly where: 'body' | 'query' = 'body',
  ) {}

  transform(value: unknown): z.output<S> {
    return parseInput(this.schema, value ?? {}, this.where);
  }
}
