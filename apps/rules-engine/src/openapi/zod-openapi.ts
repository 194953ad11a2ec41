import type { SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A zod schema as an OpenAPI 3.0 schema object, for the served document: the same schema that
 * validates a request documents it. zod writes plain JSON; this copies the keywords OpenAPI 3.0 knows
 * into @nestjs/swagger's type (checked field by field rather than cast).
 */
export function toOpenApiSchema(schema: z.ZodType): SchemaObject {
  return convert(z.toJSONSchema(schema, { target: 'openapi-3.0', unrepresentable: 'any', io: 'input' }));
}

function convert(v: unknown): SchemaObject {
  const out: SchemaObject = {};
  if (!isRecord(v)) return out;
  const str = (k: string) => (typeof v[k] === 'string' ? v[k] : undefined);
  const num = (k: string) => (typeof v[k] === 'number' ? v[k] : undefined);
  const bool = (k: string) => (typeof v[k] === 'boolean' ? v[k] : undefined);
  const list = (k: string) => (Array.isArray(v[k]) ? v[k].map(convert) : undefined);
  const set = <K extends keyof SchemaObject>(k: K, value: SchemaObject[K] | undefined) => {
    if (value !== undefined) out[k] = value;
  };
  set('type', str('type'));
  set('description', str('description'));
  set('pattern', str('pattern'));
  set('title', str('title'));
  set('minimum', num('minimum'));
  set('maximum', num('maximum'));
  set('exclusiveMinimum', bool('exclusiveMinimum'));
  set('exclusiveMaximum', bool('exclusiveMaximum'));
  set('minLength', num('minLength'));
  set('maxLength', num('maxLength'));
  set('minItems', num('minItems'));
  set('maxItems', num('maxItems'));
  set('nullable', bool('nullable'));
  set('anyOf', list('anyOf'));
  set('oneOf', list('oneOf'));
  set('allOf', list('allOf'));
  if (Array.isArray(v['enum'])) out.enum = [...v['enum']];
  if ('default' in v) out.default = v['default'];
  if (Array.isArray(v['required'])) out.required = v['required'].filter((r): r is string => typeof r === 'string');
  if (v['items'] !== undefined) out.items = convert(v['items']);
  const props = v['properties'];
  if (isRecord(props)) out.properties = Object.fromEntries(Object.entries(props).map(([k, s]) => [k, convert(s)]));
  const extra = v['additionalProperties'];
  if (typeof extra === 'boolean') out.additionalProperties = extra;
  else if (isRecord(extra)) out.additionalProperties = convert(extra);
  return out;
}
