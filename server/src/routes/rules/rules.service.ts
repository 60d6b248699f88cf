import { badRequest, notFound } from '../../../../shared/src/errors/app-error.ts';
import { conditionsHold } from '../../../../shared/src/mapping/rules.ts';
import type { Lifecycle, ReconcileResult } from '../../../../shared/src/provisioning/lifecycle.ts';
import { newId } from '../../../../shared/src/store/ids.ts';
import type { Stores } from '../../../../shared/src/store/stores.ts';
import type { AppRecord } from '../../../../shared/src/types/app.schema.ts';
import type { Rule, RuleCondition, RuleInput } from '../../../../shared/src/types/rules.schema.ts';

const CHUNK = 1000;
const NOTHING: ReconcileResult = { queued: 0, pending: 0, unchanged: 0 };

export interface RuleChange {
  rules: Rule[];
  reconcile: ReconcileResult;
}

/**
 * OneLogin's Rules on the SCIM Provisioner app: ordered, each on or off, conditions on the directory
 * user setting target groups and entitlement values. Rules live in the app record, so the lifecycle's
 * planning (create, update, Reapply Mappings) applies them; a change reconciles the app's users at once,
 * which makes update tasks through the approval queue.
 */
export class RulesService {
  constructor(
    private readonly stores: Stores,
    private readonly lifecycle: Lifecycle,
  ) {}

  async list(appId: string): Promise<Rule[]> {
    return (await this.stores.apps.get(appId)).rules ?? [];
  }

  async create(appId: string, input: RuleInput): Promise<RuleChange & { rule: Rule }> {
    const rule: Rule = { ...input, id: newId() };
    const change = await this.change(appId, (rules) => [...rules, rule]);
    return { ...change, rule };
  }

  async replace(appId: string, ruleId: string, input: RuleInput): Promise<RuleChange & { rule: Rule }> {
    const rule: Rule = { ...input, id: ruleId };
    const change = await this.change(appId, (rules) => {
      const at = indexOf(rules, ruleId);
      return rules.map((r, i) => (i === at ? rule : r));
    });
    return { ...change, rule };
  }

  remove(appId: string, ruleId: string): Promise<RuleChange> {
    return this.change(appId, (rules) => {
      const at = indexOf(rules, ruleId);
      return rules.filter((_, i) => i !== at);
    });
  }

  /** `ruleIds` must name every rule of the app once: the new order. */
  reorder(appId: string, ruleIds: string[]): Promise<RuleChange> {
    return this.change(appId, (rules) => {
      const byId = new Map(rules.map((r) => [r.id, r]));
      const sameSet = ruleIds.length === rules.length && new Set(ruleIds).size === ruleIds.length;
      if (!sameSet || ruleIds.some((id) => !byId.has(id)))
        throw badRequest('body.ruleIds', `must list each of the app's ${rules.length} rule ids once`);
      return ruleIds.map((id) => byId.get(id) as Rule);
    });
  }

  /** The app's assigned users the conditions hold for (a saved rule's, or a draft's). */
  async matches(appId: string, conditions: RuleCondition[], limit: number) {
    const app = await this.stores.apps.get(appId);
    refuseOnCatalog(app);
    const ids = (await this.stores.appUsers.assignedIds(appId)).sort();
    const items: { userId: string; email: string; name: string }[] = [];
    let total = 0;
    for (let i = 0; i < ids.length; i += CHUNK) {
      const users = await this.stores.users.getMany(ids.slice(i, i + CHUNK));
      for (const user of users.values()) {
        if (!conditionsHold(conditions, user)) continue;
        total += 1;
        if (items.length < limit)
          items.push({ userId: user.id, email: user.email, name: `${user.firstname} ${user.lastname}` });
      }
    }
    return { total, items };
  }

  async conditionsOf(appId: string, ruleId: string): Promise<RuleCondition[]> {
    const rules = await this.list(appId);
    return (rules[indexOf(rules, ruleId)] as Rule).conditions;
  }

  private async change(appId: string, edit: (rules: Rule[]) => Rule[]): Promise<RuleChange> {
    const app = await this.stores.apps.get(appId);
    refuseOnCatalog(app);
    const next: AppRecord = { ...app, rules: edit(app.rules ?? []) };
    await this.stores.apps.save(next, 'changed');
    const reconcile = next.provisioning.enabled ? await this.lifecycle.reapply(next) : NOTHING;
    return { rules: next.rules ?? [], reconcile };
  }
}

function indexOf(rules: Rule[], ruleId: string): number {
  const at = rules.findIndex((r) => r.id === ruleId);
  if (at < 0) throw notFound('rule', ruleId);
  return at;
}

function refuseOnCatalog(app: AppRecord): void {
  if (app.connector === 'calendly')
    throw badRequest(
      'connector',
      'Calendly is a catalog app without Rules; add the SCIM Provisioner app to set groups and entitlements by rule.',
    );
}
