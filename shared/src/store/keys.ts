import { allUserIndexBuckets, userIndexBucket } from './id-buckets.ts';

/**
 * Every Redis key provisim's core uses, under one prefix, laid out for Redis Cluster: a key's hash tag
 * (the part in braces) decides its slot, and the keys one atomic step touches share it.
 * - `{<appId>}`: everything of one app (record, app users, tasks, queues of work, approvals; its log and
 *   BullMQ queue use the same tag), so each lifecycle transition runs on the app's shard.
 * - `{directory}`: users, roles and the indexes across apps, written together by the directory's steps.
 */
export function storeKeys(prefix: string) {
  const directory = `${prefix}:{directory}`;
  const app = (appId: string) => `${prefix}:app:{${appId}}`;
  return {
    user: (id: string) => `${directory}:user:${id}`,
    users: `${directory}:users`,
    usersByEmail: `${directory}:users:email`,
    /**
     * The roles of each user, bucketed (see id-buckets.ts): a hash of user id -> role ids, space-separated.
     * A set per user cost Redis about 250 bytes for one role.
     */
    userRoles: (id: string) => `${directory}:user-roles:${userIndexBucket(id)}`,
    /** What stores written before kept as `userRoles`: a set per user, read when its field is absent, moved by a role write. */
    userRolesBefore: (id: string) => `${directory}:user:${id}:roles`,
    role: (id: string) => `${directory}:role:${id}`,
    roles: `${directory}:roles`,
    /** The roles that give the app: the directory's, so a role's save writes its apps in one step. */
    appRoles: (appId: string) => `${directory}:app-roles:${appId}`,
    apps: `${directory}:apps`,
    /** Pub/sub channel of app changes (not a key). */
    appEvents: `${prefix}:apps:events`,
    workers: `${prefix}:workers`,
    app,
    appDirect: (appId: string) => `${app(appId)}:direct`,
    /** The app's assigned users, bucketed (see id-buckets.ts): a hash of user id -> '', counted in `appAssignedCount`. */
    appAssigned: (appId: string, userId: string) => `${app(appId)}:assigned:${userIndexBucket(userId)}`,
    appAssignedCount: (appId: string) => `${app(appId)}:assigned:count`,
    allAppAssigned: (appId: string) =>
      allUserIndexBuckets().map((bucket) => `${app(appId)}:assigned:${bucket}`),
    /** What stores written before kept as `appAssigned`: a set, read and emptied (a transition moves its user), never added to. */
    appAssignedBefore: (appId: string) => `${app(appId)}:assigned`,
    /**
     * Per user, a counter bumped after each directory or assignment write the app must plan: a
     * transition planned from directory data guards it, the directory itself being on another shard.
     * A hash of the user's `userGuardField` -> counter, bucketed (see id-buckets.ts).
     */
    appDirectoryVersions: (appId: string, userId: string) =>
      `${app(appId)}:directory-versions:${userIndexBucket(userId)}`,
    /** Every bucket of `appDirectoryVersions`, and the one hash stores written before kept (never read: see README's Upgrading). */
    allAppDirectoryVersions: (appId: string) => [
      `${app(appId)}:directory-versions`,
      ...allUserIndexBuckets().map((bucket) => `${app(appId)}:directory-versions:${bucket}`),
    ],
    appUser: (appId: string, userId: string) => `${app(appId)}:au:${userId}`,
    appUserQueued: (appId: string, userId: string) => `${app(appId)}:au:${userId}:queued`,
    /** Users whose push must be (re)enqueued: written with the state change, cleared once the job is added. */
    appOutbox: (appId: string) => `${app(appId)}:outbox`,
    /** Users owed a re-plan: marked before a directory or assignment write, cleared after it is planned. */
    appReplan: (appId: string) => `${app(appId)}:replan`,
    appOutcomes: (appId: string) => `${app(appId)}:outcomes`,
    /** Deletes and suspends queued lately, `<epoch ms>:<task id>` (deletion safety's sliding window). */
    appDeletionWindow: (appId: string) => `${app(appId)}:deletion-window`,
    /** The app's users in the order of their record's first write (a list; see IdsInWriteOrder). */
    appUserIds: (appId: string) => `${app(appId)}:user-ids`,
    /** What stores written before kept as `appUserIds`: a sorted set, read before it, never written. */
    appUsersBefore: (appId: string) => `${app(appId)}:users`,
    appState: (appId: string, state: string) => `${app(appId)}:state:${state}`,
    task: (appId: string, id: string) => `${app(appId)}:task:${id}`,
    /** The app's tasks in the order of their first write (a list; see IdsInWriteOrder). */
    appTaskIds: (appId: string) => `${app(appId)}:task-ids`,
    /** What stores written before kept as `appTaskIds`: a sorted set, read before it, never written. */
    appTasksBefore: (appId: string) => `${app(appId)}:tasks`,
    /**
     * The app's tasks with a status: a sorted set by creation time; for a status a task never leaves
     * (FINAL_TASK_STATUSES), what stores written before kept, read before `appTaskIdsWithStatus`.
     */
    appTaskStatus: (appId: string, status: string) => `${app(appId)}:tasks:${status}`,
    /** The app's tasks with a final status, in the order they reached it (a list; see IdsInWriteOrder). */
    appTaskIdsWithStatus: (appId: string, status: string) => `${app(appId)}:task-ids:${status}`,
    /** Bulk approvals not yet materialised: batch ids scored by approval time (see approval-batches.ts). */
    appApprovals: (appId: string) => `${app(appId)}:approvals`,
    appApprovalTasks: (appId: string, batchId: string) => `${app(appId)}:approval:${batchId}`,
    appApprovalMarker: (appId: string, batchId: string) => `${app(appId)}:approval:${batchId}:marker`,
    /** The task ids of a plan being staged as a batch (see stage-approval-of.lua); lives for one call. */
    appApprovalPlan: (appId: string, batchId: string) => `${app(appId)}:approval:${batchId}:plan`,
    appApprovalsLock: (appId: string) => `${app(appId)}:approvals:lock`,
    appImport: (appId: string) => `${app(appId)}:import`,
  };
}
export type StoreKeys = ReturnType<typeof storeKeys>;
