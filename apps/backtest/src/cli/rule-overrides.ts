import { readFileSync } from 'node:fs';
import { RULE_IDS, RULE_PARAM_SCHEMAS, SHANGHAI_FIXED_RULE, isRuleId, ruleOverridesSchema, type RuleId, type RuleOverrides } from '@hearthbeat/contracts';
import type { CoreRegistry } from '@hearthbeat/rules-core';
import { UsageError } from './usage-error';

/**
 * What-if parameters for a backtest: `--rules FILE` (an overrides object, the registry's `"rules"`
 * shape), then each `--rule RULE.PARAM=VALUE`, then each `--disable RULE`, later ones winning. Every
 * value is checked against the contracts' schema of its rule, so a typo fails before the replay starts.
 */
export interface RuleOverrideArgs {
  rulesFile?: string | undefined;
  rule: readonly string[];
  disable: readonly string[];
}

export function buildOverrides(args: RuleOverrideArgs): RuleOverrides {
  let out: RuleOverrides = {};
  if (args.rulesFile !== undefined) out = mergeOverrides(out, readRulesFile(args.rulesFile));
  for (const text of args.rule) out = mergeOverrides(out, parseAssignment(text));
  for (const id of args.disable) {
    if (!isRuleId(id)) throw new UsageError(`--disable ${id}: unknown rule; rules are ${RULE_IDS.join(', ')}`);
    out = mergeOverrides(out, checked(`--disable ${id}`, id, { enabled: false }));
  }
  return out;
}

/** `water.no_activity.windowS=86400` -> `{"water.no_activity":{"windowS":86400}}`, validated. */
export function parseAssignment(text: string): RuleOverrides {
  const where = `--rule ${text}`;
  const eq = text.indexOf('=');
  const dot = eq > 0 ? text.lastIndexOf('.', eq) : -1;
  if (eq < 0 || dot < 0) throw new UsageError(`${where}: expected RULE.PARAM=VALUE, e.g. water.no_activity.windowS=86400`);
  const rule = text.slice(0, dot);
  const param = text.slice(dot + 1, eq);
  if (!isRuleId(rule)) throw new UsageError(`${where}: unknown rule "${rule}"; rules are ${RULE_IDS.join(', ')}`);
  const keys = Object.keys(RULE_PARAM_SCHEMAS[rule].shape);
  if (!keys.includes(param)) throw new UsageError(`${where}: ${rule} has no parameter "${param}"; it has ${keys.join(', ')}`);
  return checked(where, rule, { [param]: valueOf(text.slice(eq + 1)) });
}

/** Numbers, true/false and null as JSON; anything else as a string (which the schema then refuses). */
function valueOf(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function checked(where: string, rule: RuleId, params: Record<string, unknown>): RuleOverrides {
  const r = RULE_PARAM_SCHEMAS[rule].partial().strict().safeParse(params);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new UsageError(`${where}: ${rule}.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parseOverrides(where, { [rule]: r.data });
}

function readRulesFile(path: string): RuleOverrides {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`--rules ${path}: cannot read a JSON object (${err instanceof Error ? err.message : String(err)})`);
  }
  return parseOverrides(`--rules ${path}`, raw);
}

/** The contracts' overrides schema, with the offending path in the message. */
export function parseOverrides(where: string, raw: unknown): RuleOverrides {
  const r = ruleOverridesSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new UsageError(`${where}: ${issue?.path.join('.') || '(top)'}: ${issue?.message ?? 'invalid'}`);
  }
  const out: RuleOverrides = {};
  const data: Record<string, unknown> = r.data;
  for (const id of RULE_IDS) if (data[id] !== undefined) assign(out, id, data);
  return out;
}

function assign<R extends RuleId>(out: RuleOverrides, id: R, data: Record<string, unknown>): void {
  // Checked just above with the strict schema of this rule.
  out[id] = data[id] as RuleOverrides[R];
}

/** Rule by rule, parameter by parameter: `b` wins. */
export function mergeOverrides(a: RuleOverrides | undefined, b: RuleOverrides | undefined): RuleOverrides {
  const out: RuleOverrides = {};
  for (const id of RULE_IDS) mergeRule(out, id, a, b);
  return out;
}

function mergeRule<R extends RuleId>(out: RuleOverrides, id: R, a: RuleOverrides | undefined, b: RuleOverrides | undefined): void {
  const x = a?.[id];
  const y = b?.[id];
  if (x === undefined && y === undefined) return;
  out[id] = { ...x, ...y };
}

/**
 * The registry with the what-if overrides on top of every resident's and elevator's own (the most
 * specific layer), so that they win over the registry's site and subject settings alike.
 */
export function withOverrides(reg: CoreRegistry, o: RuleOverrides): CoreRegistry {
  if (Object.keys(o).length === 0) return reg;
  return {
    ...reg,
    residents: reg.residents.map((r) => ({ ...r, rules: mergeOverrides(r.rules, o) })),
    elevators: reg.elevators.map((e) => ({ ...e, rules: mergeOverrides(e.rules, o) })),
  };
}

/** The fixed rule of the Shanghai programmes, as a what-if: 10 L in 12 h, the learned routine off. */
export const SHANGHAI_BASELINE_ARGS: RuleOverrideArgs = {
  rule: [`water.no_activity.windowS=${SHANGHAI_FIXED_RULE.windowS}`, `water.no_activity.minLiters=${SHANGHAI_FIXED_RULE.minLiters}`],
  disable: ['water.routine_deviation'],
};
