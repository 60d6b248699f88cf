import type { Config } from '../../../../shared/src/config/env.ts';
import { badRequest, conflict, notFound } from '../../../../shared/src/errors/app-error.ts';
import { conditionsHold } from '../../../../shared/src/mapping/rules.ts';
import type { Lifecycle, ReconcileResult } from '../../../../shared/src/provisioning/lifecycle.ts';
import { newId } from '../../../../shared/src/store/ids.ts';
import type { Stores } from '../../../../shared/src/store/stores.ts';
import type { AppRecord } from '../../../../shared/src/types/app.schema.ts';
import type {
  GroupRenameInput,
  Rule,
  RuleCondition,
  RuleInput,
} from '../../../../shared/src/types/rules.schema.ts';
import { appScimClient, onTarget } from '../../services/app-scim-client.ts';

const CHUNK = 1000;
const NOTHING: ReconcileResult = { queued: 0, pending: 0, unchanged: 0 };

export interface RuleChange {
  rules: Rule[];
  reconcile: ReconcileResult;
}

interface GroupRenamed {
  renamedOnTarget: boolean;
  appUsers: number;
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
    private readonly config: Config,
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

  /**
   * Renames a group the rules set, as an IdP renames a pushed group: one PATCH of the group's
   * displayName on the target (409 `group_name_taken` if the new name is there), then the rules, then
   * the app users' recorded groups, then a reapply that finds no member to move.
   */
  async renameGroup(appId: string, { from, to }: GroupRenameInput): Promise<RuleChange & GroupRenamed> {
    const app = await this.stores.apps.get(appId);
    refuseOnCatalog(app);
    if (!(app.rules ?? []).some((rule) => rule.set.groups.includes(from)))
      throw badRequest('body.from', `names no group a rule of this app sets ("${from}")`);
    if (to === from) throw badRequest('body.to', 'is the name the group has already');
    const client = appScimClient(app, this.config, 'renaming a group');
    const onTargetAnswer = await onTarget(app, () => client.renameGroup(from, to));
    if (onTargetAnswer === 'taken')
      throw conflict('group_name_taken', `The target already has a group named "${to}".`, { to });
    const renamed = (rules: Rule[]) =>
      rules.map((rule) => ({
        ...rule,
        set: { ...rule.set, groups: rule.set.groups.map((group) => (group === from ? to : group)) },
      }));
    const next = await this.save(appId, renamed);
    const appUsers = await this.lifecycle.renameGroup(
      appId,
      from,
      to,
      `Group "${from}" renamed to "${to}"${onTargetAnswer === 'renamed' ? ' on the target' : ' (not on the target yet)'}: membership unchanged.`,
    );
    return {
      rules: next.rules ?? [],
      reconcile: await this.reconcile(next),
      renamedOnTarget: onTargetAnswer === 'renamed',
      appUsers,
    };
  }

  private async change(appId: string, edit: (rules: Rule[]) => Rule[]): Promise<RuleChange> {
    const next = await this.save(appId, edit);
    return { rules: next.rules ?? [], reconcile: await this.reconcile(next) };
  }

  private async save(appId: string, edit: (rules: Rule[]) => Rule[]): Promise<AppRecord> {
    const app = await this.stores.apps.get(appId);
    refuseOnCatalog(app);
    const next: AppRecord = { ...app, rules: edit(app.rules ?? []) };
    await this.stores.apps.save(next, 'changed');
    return next;
  }

  private reconcile(app: AppRecord): Promise<ReconcileResult> {
    return app.provisioning.enabled ? this.lifecycle.reapply(app) : Promise.resolve(NOTHING);
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
