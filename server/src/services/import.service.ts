import type { Config } from '../../../shared/src/config/env.ts';
import { conflict, notFound } from '../../../shared/src/errors/app-error.ts';
import { attributeDiffs, observedResource } from '../../../shared/src/mapping/attribute-diff.ts';
import { buildScimUser } from '../../../shared/src/mapping/scim-user.ts';
import type { Lifecycle } from '../../../shared/src/provisioning/lifecycle.ts';
import type { ImportReportsStore, StoredImportItem } from '../../../shared/src/store/import-reports.store.ts';
import type { Stores } from '../../../shared/src/store/stores.ts';
import type { AppRecord } from '../../../shared/src/types/app.schema.ts';
import type { User } from '../../../shared/src/types/directory.schema.ts';
import type {
  ImportAction,
  ImportItem,
  ImportKind,
  ImportSummary,
} from '../../../shared/src/types/import.schema.ts';
import { importItemView } from '../presenters/import-item.presenter.ts';
import { appScimClient, onTarget } from './app-scim-client.ts';

/** Accounts one import reads at most. */
const MAX_ACCOUNTS = 100_000;
const DIRECTORY_PAGE = 1000;
const KIND_ORDER: ImportKind[] = ['drifted', 'unmatched_target', 'unmatched_directory', 'matched'];

type Json = Record<string, unknown>;

const scimUserNameOf = (app: AppRecord, user: User) =>
  app.parameters.scimUsername === 'username' ? user.username : user.email;

/** The user as the mapping sees it (as planning does: with "Do nothing" on suspend, a suspension is not pushed). */
const mappedUser = (app: AppRecord, user: User): User =>
  app.provisioning.onSuspend === 'none' ? { ...user, status: 'active' } : user;

/**
 * "Import from app": reads every account of the app's target, matches each to the directory by the
 * SCIM username, and reports matched, drifted (per-attribute diffs against the mapping) and unmatched
 * accounts on either side; each can then be linked, reconciled (through the approval queue) or left.
 */
export class ImportService {
  constructor(
    private readonly stores: Stores,
    private readonly lifecycle: Lifecycle,
    private readonly reports: ImportReportsStore,
    private readonly config: Config,
  ) {}

  async run(appId: string): Promise<ImportSummary> {
    const app = await this.stores.apps.get(appId);
    if (app.parameters.scimUsername === null)
      throw conflict(
        'scim_username_unset',
        'Set SCIM Username (Parameters) first: accounts are matched by it.',
      );
    const listed = await this.readAccounts(app);
    const accounts = listed.users.filter(
      (a): a is Json & { id: string; userName: string } =>
        typeof a.id === 'string' && typeof a.userName === 'string',
    );
    const directory = await this.directoryByScimUserName(app);
    const assigned = new Set(await this.stores.appUsers.assignedIds(appId));
    const matchedUsers = new Map<string, User>();
    for (const account of accounts) {
      const user = directory.get(account.userName.toLowerCase());
      if (user) matchedUsers.set(account.id, user);
    }
    const records = await this.stores.appUsers.findMany(
      appId,
      [...matchedUsers.values()].map((u) => u.id),
    );
    const items: StoredImportItem[] = accounts.map((account) => {
      const user = matchedUsers.get(account.id);
      const base = {
        key: `t.${account.id}`,
        userName: account.userName,
        targetId: account.id,
        active: account.active !== false,
        decision: null,
      };
      if (!user)
        return {
          ...base,
          kind: 'unmatched_target',
          userId: null,
          assigned: false,
          linked: false,
          diffs: [],
          observed: null,
        };
      const desired = buildScimUser(app.connector, mappedUser(app, user), app.parameters);
      const observed = observedResource(desired, account);
      const diffs = attributeDiffs(desired, observed);
      return {
        ...base,
        kind: diffs.length > 0 ? 'drifted' : 'matched',
        userId: user.id,
        assigned: assigned.has(user.id),
        linked: records.get(user.id)?.externalId === account.id,
        diffs,
        observed,
      };
    });
    const matchedIds = new Set([...matchedUsers.values()].map((u) => u.id));
    const missing = await this.stores.users.getMany([...assigned].filter((id) => !matchedIds.has(id)));
    for (const user of missing.values())
      items.push({
        key: `d.${user.id}`,
        kind: 'unmatched_directory',
        userName: scimUserNameOf(app, user),
        targetId: null,
        userId: user.id,
        assigned: true,
        linked: false,
        active: null,
        diffs: [],
        decision: null,
        observed: null,
      });
    items.sort(
      (a, b) =>
        KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.userName.localeCompare(b.userName),
    );
    const count = (kind: ImportKind) => items.filter((item) => item.kind === kind).length;
    const summary: ImportSummary = {
      appId,
      importedAt: new Date().toISOString(),
      totals: {
        targetAccounts: accounts.length,
        targetReportedTotal: listed.reportedTotal,
        matched: count('matched') + count('drifted'),
        drifted: count('drifted'),
        unmatchedTarget: count('unmatched_target'),
        unmatchedDirectory: count('unmatched_directory'),
      },
    };
    await this.reports.replace(summary, items);
    return summary;
  }

  private readAccounts(app: AppRecord) {
    const client = appScimClient(app, this.config, 'importing');
    return onTarget(app, () => client.listAllUsers(MAX_ACCOUNTS));
  }

  private async directoryByScimUserName(app: AppRecord): Promise<Map<string, User>> {
    const byName = new Map<string, User>();
    let cursor: string | undefined;
    do {
      const page = await this.stores.users.list({ limit: DIRECTORY_PAGE, ...(cursor ? { cursor } : {}) });
      for (const user of page.items) byName.set(scimUserNameOf(app, user).toLowerCase(), user);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return byName;
  }

  /** The last import's summary, or null before the first: asking never meets a 404. */
  async latest(appId: string): Promise<{ lastImport: ImportSummary | null }> {
    await this.stores.apps.get(appId);
    return { lastImport: (await this.reports.summary(appId)) ?? null };
  }

  async page(appId: string, query: { kind?: ImportKind | undefined; limit: number; cursor?: string }) {
    await this.stores.apps.get(appId);
    const summary = await this.reports.summary(appId);
    if (!summary) throw notFound('import of app', appId);
    const page = await this.reports.page(appId, query);
    return { ...summary, items: page.items.map(importItemView), nextCursor: page.nextCursor };
  }

  async decide(appId: string, key: string, action: ImportAction): Promise<ImportItem> {
    const app = await this.stores.apps.get(appId);
    const item = await this.reports.item(appId, key);
    if (!item) throw notFound('import item', key);
    if (item.decision && item.decision.action !== 'leave')
      throw conflict(
        'import_item_decided',
        `${item.userName} was already handled (${item.decision.action}); import again to act on it anew.`,
      );
    const decided = (
      outcome: NonNullable<ImportItem['decision']>['outcome'],
      taskId: string | null = null,
    ) => ({
      ...item,
      decision: { action, at: new Date().toISOString(), outcome, taskId },
    });
    const next = action === 'leave' ? decided('left') : await this.act(app, item, action, decided);
    await this.reports.saveItem(appId, next);
    return importItemView(next);
  }

  private async act(
    app: AppRecord,
    item: StoredImportItem,
    action: 'link' | 'reconcile',
    decided: (
      outcome: NonNullable<ImportItem['decision']>['outcome'],
      taskId?: string | null,
    ) => StoredImportItem,
  ): Promise<StoredImportItem> {
    if (!item.userId)
      throw conflict(
        'no_directory_user',
        `No directory user has the SCIM username ${item.userName}; leave it.`,
      );
    const record = await this.stores.appUsers.find(app.id, item.userId);
    if (!record?.assigned)
      throw conflict(
        'not_assigned',
        `Assign ${item.userName} to ${app.name} before you ${action} the account.`,
      );
    if (record.state === 'queued')
      throw conflict('push_in_flight', `A push of ${item.userName} is queued; wait until the app is idle.`);
    if (action === 'link') {
      if (!item.targetId || !item.observed)
        throw conflict('nothing_to_link', `The target holds no account for ${item.userName} to link.`);
      await this.lifecycle.adoptTargetState(app.id, item.userId, {
        externalId: item.targetId,
        pushedResource: item.observed,
      });
      return decided('linked');
    }
    if (!app.provisioning.enabled)
      throw conflict('provisioning_disabled', 'Enable provisioning before reconciling accounts.');
    // What the target was found to hold becomes the baseline, so planning sees the drift and makes the
    // task that undoes it (an update, suspend, reactivate or create) through the approval queue.
    if (item.targetId && item.observed)
      await this.lifecycle.adoptTargetState(app.id, item.userId, {
        externalId: item.targetId,
        pushedResource: item.observed,
        intent: item.observed.active === false ? 'suspended' : 'active',
        intentResource: item.observed,
      });
    else
      await this.lifecycle.adoptTargetState(app.id, item.userId, {
        externalId: null,
        pushedResource: null,
        pushedGroups: [],
        intent: null,
        intentResource: null,
        intentGroups: [],
      });
    const result = await this.lifecycle.reconcile(app.id, [item.userId]);
    if (result.pending > 0)
      return decided(
        'pending',
        (await this.stores.appUsers.find(app.id, item.userId))?.pendingTaskId ?? null,
      );
    return decided(result.queued > 0 ? 'queued' : 'unchanged');
  }
}
