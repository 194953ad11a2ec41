import { Inject, Injectable } from '@nestjs/common';
import { RULE_IDS, isRuleId, resolveRuleParams, type RegistryFile, type RuleId, type RuleOverrides } from '@hearthbeat/contracts';
import type { RegistryStore } from '@hearthbeat/registry';
import { RegistrySync } from '../admin/registry-sync.service';
import type { AuthUser } from '../auth/auth.types';
import { ScopePolicy } from '../auth/scope.policy';
import { REGISTRY } from '../engine.tokens';
import { ForbiddenError, NotFoundError } from '../http/api.errors';

export type RuleScope = { type: 'site'; id: string } | { type: 'resident' | 'elevator'; id: string };

export interface RuleSettingsView {
  scope: RuleScope;
  site: string;
  /** This level's overrides, as stored. */
  overrides: RuleOverrides;
  /** For a resident or elevator: the site's overrides underneath. */
  inherited?: RuleOverrides;
  /** Parameters in force: defaults, then the site, then the subject (the most specific wins). */
  effective: Partial<Record<RuleId, Record<string, unknown>>>;
}

const ELEVATOR_RULE = (id: string) => id.startsWith('elevator.');
const RULES_FOR: Record<RuleScope['type'], (id: RuleId) => boolean> = {
  site: () => true,
  resident: (id) => !ELEVATOR_RULE(id),
  elevator: (id) => ELEVATOR_RULE(id) || id === 'device.low_battery',
};

/** Rule parameters per site, resident and elevator: read (effective values) and replace (overrides). */
@Injectable()
export class RuleSettingsService {
  constructor(
    @Inject(REGISTRY) private readonly registry: RegistryStore,
    private readonly scope: ScopePolicy,
    private readonly sync: RegistrySync,
  ) {}

  get(user: AuthUser, target: RuleScope): RuleSettingsView {
    const { site, siteRules, ownRules } = this.locate(target);
    if (target.type === 'site') this.scope.assertSite(user, site);
    else this.scope.assertSubject(user, target.type, site);
    const effective: RuleSettingsView['effective'] = {};
    for (const id of RULE_IDS.filter(RULES_FOR[target.type])) {
      effective[id] = { ...resolveRuleParams(id, siteRules, target.type === 'site' ? undefined : ownRules) };
    }
    const view: RuleSettingsView = { scope: target, site, overrides: (target.type === 'site' ? siteRules : ownRules) ?? {}, effective };
    if (target.type !== 'site') view.inherited = siteRules ?? {};
    return view;
  }

  /**
   * Replaces one level's overrides (validated with the contracts' schema), stores them in the registry
   * and applies them to the running rules. Supervisors look after residents: at a site they may change
   * every rule but the elevator ones, which must come back as they are.
   */
  async put(user: AuthUser, target: RuleScope, overrides: RuleOverrides): Promise<RuleSettingsView> {
    const { site, ownRules, siteRules } = this.locate(target);
    if (target.type === 'site') this.scope.assertSite(user, site);
    else this.scope.assertSubject(user, target.type, site);
    const current = (target.type === 'site' ? siteRules : ownRules) ?? {};
    for (const key of Object.keys(overrides)) {
      if (!isRuleId(key) || !RULES_FOR[target.type](key)) throw new ForbiddenError(`rule "${key}" does not apply to a ${target.type}`, key);
    }
    if (user.role === 'supervisor') {
      for (const key of new Set([...Object.keys(current), ...Object.keys(overrides)])) {
        if (isRuleId(key) && ELEVATOR_RULE(key) && JSON.stringify(current[key]) !== JSON.stringify(overrides[key])) {
          throw new ForbiddenError(`supervisors may not change elevator rules ("${key}")`, key);
        }
      }
    }
    await this.sync.importAndApply(this.patchFile(target, overrides));
    return this.get(user, target);
  }

  /** The smallest registry file that rewrites one level's `rules` (an import is an upsert of what it lists). */
  private patchFile(target: RuleScope, overrides: RuleOverrides): RegistryFile {
    const file = this.registry.exportRegistry();
    // An absent `rules` clears the level (the import treats the file as authoritative for what it lists).
    const rules = Object.keys(overrides).length ? { rules: overrides } : {};
    const withRules = <T extends { rules?: RuleOverrides }>(e: T): Omit<T, 'rules'> & { rules?: RuleOverrides } => {
      const { rules: _old, ...rest } = e;
      return { ...rest, ...rules };
    };
    if (target.type === 'site') return { sites: file.sites.filter((s) => s.id === target.id).map(withRules), residents: [], elevators: [], devices: [] };
    const { site } = this.locate(target);
    const sites = file.sites.filter((s) => s.id === site);
    if (target.type === 'resident') {
      const residents = file.residents.filter((r) => r.id === target.id).map(withRules);
      const ids = new Set(residents.flatMap((r) => r.devices));
      return { sites, residents, elevators: [], devices: file.devices.filter((d) => ids.has(d.id)) };
    }
    const elevators = file.elevators.filter((e) => e.id === target.id).map(withRules);
    const ids = new Set(elevators.map((e) => e.device));
    return { sites, residents: [], elevators, devices: file.devices.filter((d) => ids.has(d.id)) };
  }

  private locate(target: RuleScope): { site: string; siteRules?: RuleOverrides; ownRules?: RuleOverrides } {
    if (target.type === 'site') {
      const s = this.registry.getSite(target.id);
      if (!s) throw new NotFoundError('site', target.id);
      return { site: s.id, ...(s.rules ? { siteRules: s.rules } : {}) };
    }
    const entity = target.type === 'resident' ? this.registry.getResident(target.id) : this.registry.getElevator(target.id);
    if (!entity) throw new NotFoundError(target.type, target.id);
    const siteRules = this.registry.getSite(entity.site)?.rules;
    return { site: entity.site, ...(siteRules ? { siteRules } : {}), ...(entity.rules ? { ownRules: entity.rules } : {}) };
  }
}
