import { RULE_DEFAULTS, RULE_IDS, RULE_PARAM_SCHEMAS, SHANGHAI_FIXED_RULE, resolveRuleParams, ruleOverridesSchema } from './rules';

describe('rule parameters', () => {
  it('every default passes its own schema', () => {
    for (const id of RULE_IDS) expect([id, RULE_PARAM_SCHEMAS[id].safeParse(RULE_DEFAULTS[id]).success]).toEqual([id, true]);
  });

  it('water.no_activity defaults to the 24 h safety net; the Shanghai fixed rule stays one override away', () => {
    expect(RULE_DEFAULTS['water.no_activity']).toMatchObject({ windowS: 86400, minLiters: 10 });
    expect(SHANGHAI_FIXED_RULE).toEqual({ windowS: 43200, minLiters: 10 });
    expect(resolveRuleParams('water.no_activity', { 'water.no_activity': { ...SHANGHAI_FIXED_RULE } })).toMatchObject({ windowS: 43200, minLiters: 10 });
  });

  it('accepts and bounds the learned-routine parameters', () => {
    expect(ruleOverridesSchema.safeParse({ 'water.routine_deviation': { warmupDays: 7, lateMarginMinutes: 45, coldStartWindowS: null } }).success).toBe(true);
    expect(ruleOverridesSchema.safeParse({ 'water.routine_deviation': { warmupDays: 1 } }).success).toBe(false);
    expect(ruleOverridesSchema.safeParse({ 'water.routine_deviation': { quietFactor: 0.2 } }).success).toBe(false);
    expect(ruleOverridesSchema.safeParse({ 'water.continuous_flow': { minLpm: 1.5 } }).success).toBe(true);
  });
});
